package dev.tokenstarter.token.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.support.ManualRefreshScheduler;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint.Mode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token endpoint outage longer than a token's lifetime (refused connections, then 503s, then timeouts),
 * simulated second by second with a hand-moved clock and one API call per second: no call fails before the
 * old token really expires (inside the expiry margin it is handed out as a last resort), attempts follow the
 * backoff, and the client recovers by itself.
 */
class TokenEndpointOutageTest {

    private static final long LIFETIME = 300;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualRefreshScheduler scheduler = new ManualRefreshScheduler(clock);

    private final List<Instant> attempts = new CopyOnWriteArrayList<>();

    @Test
    void theOldTokenBridgesTheOutageAndTheClientRecoversByItself() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(LIFETIME))
            .tokenPrefix("outage-token").slowDelay(Duration.ofSeconds(5)).start()) {
            // The read timeout leaves room for a cold JVM's first request (Reactor Netty starting up), which
            // took longer than 300 ms when this test ran alone; the slow phase still outlasts it.
            TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri()).clientId("c")
                .clientSecret("outage-secret-123").connectTimeout(Duration.ofMillis(300))
                .readTimeout(Duration.ofMillis(1500)).build();
            TokenEndpointClient client = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
            TokenSource recorded = (previous) -> {
                attempts.add(clock.instant());
                return client.fetch(previous);
            };
            RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0);
            CachingTokenProvider provider = new CachingTokenProvider(recorded, RefreshTiming.DEFAULTS, backoff, clock,
                    "outage test");
            ScheduledTokenRefresher refresher = new ScheduledTokenRefresher(provider, scheduler, Duration.ofSeconds(30),
                    true, false, () -> 1.0);
            refresher.start();
            step(provider);
            Instant start = clock.instant();
            Instant expiresAt = provider.state().expiresAt();

            int failedBeforeExpiry = 0;
            int failedAfterExpiry = 0;
            long slowestFailureNanos = 0;
            Instant recoveredAt = null;
            Instant upAgainAt = start.plusSeconds(520);
            for (int second = 1; second <= 640 && recoveredAt == null; second++) {
                clock.advance(Duration.ofSeconds(1));
                Instant now = clock.instant();
                endpoint.switchTo(phase(second));
                step(provider);
                long callStart = System.nanoTime();
                try {
                    AccessToken token = provider.getToken();
                    assertThat(token.expiresAt()).isAfter(now);
                    if (now.isAfter(upAgainAt) || now.equals(upAgainAt)) {
                        recoveredAt = now;
                    }
                }
                catch (RuntimeException ex) {
                    if (now.isBefore(expiresAt)) {
                        failedBeforeExpiry++;
                    }
                    else {
                        failedAfterExpiry++;
                        slowestFailureNanos = Math.max(slowestFailureNanos, System.nanoTime() - callStart);
                    }
                }
            }
            refresher.stop();

            List<Instant> failed = attempts.subList(1, attempts.size() - 1);
            System.out.printf("outage: %d attempts during 320 s outage, %d API calls failed before expiry, %d after "
                    + "(slowest %.1f ms), recovered %d s after the endpoint came back%n", failed.size(),
                    failedBeforeExpiry, failedAfterExpiry, slowestFailureNanos / 1e6,
                    Duration.between(upAgainAt, recoveredAt).toSeconds());
            assertThat(failedBeforeExpiry).isZero();
            assertThat(recoveredAt).isNotNull();
            assertThat(Duration.between(upAgainAt, recoveredAt)).isLessThanOrEqualTo(Duration.ofSeconds(61));
            // each retry waits at least the backoff bound for its failure count (random = 1.0), clock steps are 1 s
            for (int i = 1; i < failed.size(); i++) {
                long gap = Duration.between(failed.get(i - 1), failed.get(i)).toSeconds();
                long bound = backoff.bound(i).toSeconds();
                assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(bound);
            }
            // 1+2+4+8+16+32 s, then every 60 s: about a dozen attempts in 320 s, not one per API call
            assertThat(failed.size()).isBetween(9, 14);
            assertThat(slowestFailureNanos).isLessThan(Duration.ofSeconds(1).toNanos());
        }
    }

    /** Seconds 200-300 refused, 300-400 503, 400-520 too slow, then up again. */
    private static Mode phase(int second) {
        if (second < 200) {
            return Mode.UP;
        }
        if (second < 300) {
            return Mode.REFUSED;
        }
        if (second < 400) {
            return Mode.UNAVAILABLE;
        }
        return (second < 520) ? Mode.SLOW : Mode.UP;
    }

    /** Runs due refresher work and waits (at most 2 s) for the fetch it started. */
    private void step(CachingTokenProvider provider) {
        scheduler.runDue();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (provider.isFetchInFlight() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
