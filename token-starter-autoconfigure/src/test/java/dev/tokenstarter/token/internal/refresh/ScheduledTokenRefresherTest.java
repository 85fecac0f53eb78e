package dev.tokenstarter.token.internal.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.support.ManualRefreshScheduler;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;

import org.springframework.boot.health.contributor.Status;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenJson;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled refresher against a real token endpoint, with the clock and the scheduler moved by hand.
 */
class ScheduledTokenRefresherTest {

    private static final long LIFETIME = 300;

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private final ManualRefreshScheduler scheduler = new ManualRefreshScheduler(clock);

    /** Counts fetches started by anyone other than the refresher's own runs. */
    private final AtomicInteger callerFetches = new AtomicInteger();

    private volatile boolean inRefresherRun;

    private CachingTokenProvider provider;

    @BeforeEach
    void setUp() {
        TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri()).clientId("c").clientSecret("secret-123456")
            .build();
        TokenEndpointClient client = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
        TokenSource counting = (previous) -> {
            if (!inRefresherRun) {
                callerFetches.incrementAndGet();
            }
            return client.fetch(previous);
        };
        provider = new CachingTokenProvider(counting, RefreshTiming.DEFAULTS,
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0), clock, "test client");
    }

    private ScheduledTokenRefresher refresher(boolean eager, boolean failFast) {
        return new ScheduledTokenRefresher(provider, scheduler, Duration.ofSeconds(30), eager, failFast, () -> 1.0);
    }

    /** Runs the refresher's due tasks and waits until the fetches they started have completed. */
    private void runScheduled() {
        inRefresherRun = true;
        try {
            scheduler.runDue();
        }
        finally {
            inRefresherRun = false;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (provider.isFetchInFlight()) {
            assertThat(System.nanoTime()).as("fetch still in flight after 2 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /**
     * {@link #runScheduled()}, then waits until the refresher has planned its next run. It plans when its fetch
     * completes, on the thread that completed it, a moment after the fetch stops being in flight: a test that
     * moves the clock in that moment has the refresher plan from a later instant, past the end of its backoff,
     * and a caller's background refresh meanwhile starts the attempt the refresher was to make.
     */
    private void runScheduledAndPlanned() {
        runScheduled();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (scheduler.pending() == 0) {
            assertThat(System.nanoTime()).as("the refresher planned no next run within 2 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private void respondAlways(String body) {
        endpoint.server().clear(tokenRequest());
        endpoint.server().when(tokenRequest()).respond(json(200, body));
    }

    @Test
    void eagerStartFetchesAndPlansTheRefreshBeforeTheRefreshWindowWithJitter() {
        respondAlways(tokenJson("token-one-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(true, false);

        refresher.start();
        runScheduled();

        Instant issued = clock.instant();
        // refresh window 60 s before expiry, jitter bound min(10% of 300 s, 30 s) = 30 s at random 1.0
        assertThat(refresher.nextRefreshAt()).isEqualTo(issued.plusSeconds(LIFETIME - 60 - 30));
        assertThat(scheduler.nextDue()).isEqualTo(refresher.nextRefreshAt());
        assertThat(endpoint.requestCount()).isEqualTo(1);
        refresher.stop();
    }

    @Test
    void callersAcrossManyLifetimesNeverFetchAndNeverGetAnExpiredToken() {
        respondAlways(tokenJson("token-any-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduled();

        Instant end = clock.instant().plusSeconds(LIFETIME * 6);
        int calls = 0;
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofSeconds(5));
            runScheduled();
            AccessToken token = provider.getToken();
            AccessToken reactive = provider.token().block();
            assertThat(token.expiresAt()).isAfter(clock.instant().plus(RefreshTiming.DEFAULTS.refreshBefore()));
            assertThat(reactive.expiresAt()).isAfter(clock.instant());
            calls += 2;
        }

        assertThat(calls).isGreaterThan(700);
        assertThat(callerFetches).hasValue(0);
        // one token per (lifetime - 90 s) of the 1800 s, plus the first
        assertThat(endpoint.requestCount()).isBetween(8, 9);
        refresher.stop();
    }

    @Test
    void anOutageIsBridgedByTheOldTokenWithBackoffAndRecoversByItself() {
        respondAlways(tokenJson("token-old-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduledAndPlanned();
        Instant expiresAt = provider.state().expiresAt();
        endpoint.server().clear(tokenRequest());
        endpoint.server().when(tokenRequest()).respond(json(503, "{\"error\":\"temporarily_unavailable\"}"));
        TokenHealthIndicator health = new TokenHealthIndicator(provider, clock);

        int failedCallsBeforeExpiry = 0;
        while (clock.instant().plusSeconds(1).isBefore(expiresAt.minusSeconds(5))) {
            clock.advance(Duration.ofSeconds(1));
            runScheduledAndPlanned();
            try {
                assertThat(provider.getToken().value()).isEqualTo("token-old-abcdef");
            }
            catch (RuntimeException ex) {
                failedCallsBeforeExpiry++;
            }
        }
        assertThat(failedCallsBeforeExpiry).isZero();
        // first failure at expiry - 90 s (refresh window 60 s + jitter 30 s), then after backoffs of
        // 1, 2, 4, 8, 16 and 32 s (random = 1.0): 7 attempts before expiry - 5 s, the next one after expiry
        int attempts = 7;
        // (clear() above also dropped the log of the first, successful request)
        await().atMost(Duration.ofSeconds(2)).until(() -> endpoint.requestCount() == attempts);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("consecutiveFailures", attempts)
            .containsKey("lastError");

        clock.advance(Duration.between(clock.instant(), expiresAt.plusSeconds(1))); // time passes: wall clock and monotonic source alike
        long start = System.nanoTime();
        assertThatThrownBy(provider::getToken).isInstanceOf(TokenUnavailableException.class)
            .hasMessageContaining("next attempt in");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        respondAlways(tokenJson("token-new-abcdef", LIFETIME));
        clock.advance(Duration.ofSeconds(60));
        runScheduledAndPlanned();
        assertThat(provider.getToken().value()).isEqualTo("token-new-abcdef");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(callerFetches).hasValue(0);
        refresher.stop();
    }

    @Test
    void aServerRefreshHintIsUsedWhenEarlier() {
        respondAlways("{\"access_token\":\"token-hint-abcdef\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_in\":600}");
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduled();

        assertThat(refresher.nextRefreshAt()).isEqualTo(clock.instant().plusSeconds(600 - 30));
        refresher.stop();
    }

    @Test
    void failFastMakesStartFailWithTheCause() {
        endpoint.server().when(tokenRequest()).respond(json(401, "{\"error\":\"invalid_client\"}"));
        ScheduledTokenRefresher refresher = refresher(true, true);

        assertThatThrownBy(refresher::start).isInstanceOf(TokenUnavailableException.class)
            .hasMessageContaining("at startup").hasMessageContaining("invalid_client");
        assertThat(refresher.isRunning()).isFalse();
    }

    @Test
    void notEagerWaitsForTheFirstCallerAndThenTakesOver() {
        respondAlways(tokenJson("token-lazy-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(false, false);
        refresher.start();
        assertThat(scheduler.pending()).isZero();

        provider.getToken();

        assertThat(scheduler.pending()).isEqualTo(1);
        assertThat(refresher.nextRefreshAt()).isEqualTo(clock.instant().plusSeconds(LIFETIME - 90));
        refresher.stop();
    }

    @Test
    void stopCancelsEverythingAndNoRefreshHappensAfterwards() {
        respondAlways(tokenJson("token-one-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduled();

        refresher.stop();
        clock.advance(Duration.ofSeconds(LIFETIME * 3));
        scheduler.runDue();
        assertThat(endpoint.requestCount()).isEqualTo(1);

        refresher.destroy();
        assertThat(scheduler.isClosed()).isTrue();
    }

    @Test
    void aStoppedRefresherCanStartAgain() {
        respondAlways(tokenJson("token-one-abcdef", LIFETIME));
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduled();
        refresher.stop();

        refresher.start();
        clock.advance(Duration.ofSeconds(LIFETIME - 89));
        runScheduled();

        assertThat(refresher.isRunning()).isTrue();
        assertThat(endpoint.requestCount()).isEqualTo(2);
        refresher.destroy();
    }

    @Test
    void aServerHintShorterThanTheJitterStillLeavesTimeBetweenRefreshes() {
        respondAlways("{\"access_token\":\"token-hint-abcdef\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"refresh_in\":20}");
        ScheduledTokenRefresher refresher = refresher(true, false);
        refresher.start();
        runScheduled();

        // jitter is capped at half the 20 s until the hinted refresh
        assertThat(refresher.nextRefreshAt()).isEqualTo(clock.instant().plusSeconds(10));
        runScheduled();
        assertThat(endpoint.requestCount()).isEqualTo(1);
        refresher.destroy();
    }

    @Test
    void aThrowingListenerBreaksNeitherTheFetchNorLaterOnes() {
        respondAlways(tokenJson("token-one-abcdef", LIFETIME));
        provider.addListener(new dev.tokenstarter.token.TokenListener() {
            @Override
            public void onTokenFetched(AccessToken token) {
                throw new IllegalStateException("listener bug");
            }
        });

        assertThat(provider.getToken().value()).isEqualTo("token-one-abcdef");
        assertThat(provider.state().consecutiveFailures()).isZero();
        assertThat(provider.isFetchInFlight()).isFalse();
        clock.advance(Duration.ofSeconds(LIFETIME));
        assertThat(provider.getToken().value()).isEqualTo("token-one-abcdef");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }
}
