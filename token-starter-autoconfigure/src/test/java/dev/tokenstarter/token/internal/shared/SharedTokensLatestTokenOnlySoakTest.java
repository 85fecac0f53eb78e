package dev.tokenstarter.token.internal.shared;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real case of the fleet: an API that accepts only the latest token (the endpoint revokes every earlier
 * one when it issues a new one) and rotates single-use refresh tokens, three instances with two callers each,
 * the starter's refresh defaults ({@code refresh.min-refetch-interval} 10 s, shorter than the 12-second
 * lifetime). No call may fail; the API's 401s (calls that raced a swap, answered by the retry) stay within
 * one per caller and swap; the fleet makes at most one token request per refresh period, plus one.
 * A real-time soak: 36 s (three lifetimes) per run, two runs.
 */
class SharedTokensLatestTokenOnlySoakTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration LIFETIME = Duration.ofSeconds(12);

    private static final Duration RUN = LIFETIME.multipliedBy(3);

    private static final int INSTANCES = 3;

    private static final int CALLERS_PER_INSTANCE = 2;

    /** The defaults: refresh 60 s before expiry (capped at half the lifetime), jitter up to a tenth of it. */
    private static final Duration REFRESH_BEFORE = Duration.ofSeconds(60);

    private static final Duration MAX_JITTER = LIFETIME.dividedBy(10);

    /**
     * No token request beyond the schedule. Once in CI (JDK 25, the whole suite running, 2026-12-04) a run made
     * 10 where the schedule allows 8: pairs of fleet requests 20 ms apart, the second "DUE, stored: due or
     * replaced". An instance answering a 401 read the entry as two commands while another stored its new token
     * in between, so it took the new token with the old one's remaining lifetime, judged it due and replaced
     * it. The entry is now read in one script ({@code SharedTokenStoreTest#anEntryReplacedWhileItIsRead…}).
     */
    @RepeatedTest(2)
    void threeInstancesOnALatestTokenOnlyApiFailNoCall() throws Exception {
        soak(List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port()), "one node", 0);
    }

    /**
     * The soak against the Redis {@code redisProperties} describe.
     * @param redisProperties Spring Boot's {@code spring.data.redis.*} for every instance
     * @param label what Redis it is, in the figures printed
     * @param extraRequests token requests allowed beyond one per refresh period plus one
     */
    static void soak(List<String> redisProperties, String label, int extraRequests) throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(LIFETIME)
            .revokeEarlierTokens()
            .rotateRefreshTokens()
            .start();
                Fleet fleet = new Fleet(redisProperties, endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=latest-only:" + System.nanoTime(),
                        // the starter's defaults, which the other fleet tests shorten
                        "api.auth.refresh.before=60s", "api.auth.refresh.expiry-margin=5s", "api.auth.refresh.jitter=30s",
                        "api.auth.refresh.wait-timeout=30s", 
                        // why each fleet request was made (reason, what was stored), for a run that fails its bound
                        "logging.level.dev.tokenstarter.token.internal.shared=DEBUG", "api.auth.refresh.retry.initial-backoff=1s",
                        "api.auth.refresh.retry.max-backoff=60s")) {
            for (int i = 0; i < INSTANCES; i++) {
                fleet.start();
            }
            fleet.call(1, Duration.ofMillis(500)); // warm-up: every instance has the fleet's token and its clients
            endpoint.resetCounts();

            Fleet.Calls calls = fleet.call(CALLERS_PER_INSTANCE, RUN);

            int tokenRequests = endpoint.requestCount();
            int swaps = endpoint.issuedCount();
            long apiRejections = endpoint.apiCalls() - endpoint.apiCalls(TokenStatus.VALID);
            Duration period = LIFETIME.minus(min(REFRESH_BEFORE, LIFETIME.dividedBy(2))).minus(MAX_JITTER);
            long allowed = RUN.toMillis() / period.toMillis() + 1 + extraRequests;
            int callers = INSTANCES * CALLERS_PER_INSTANCE;
            System.out.printf("%s, latest-token-only API, %d instances x %d callers, %d-s tokens, %d s: calls %s; %d token "
                    + "requests (at most %d), %d tokens issued, %d API 401s answered by the retry (at most %d), %d refresh "
                    + "tokens reused%n", label, INSTANCES, CALLERS_PER_INSTANCE, LIFETIME.toSeconds(), RUN.toSeconds(), calls,
                    tokenRequests, allowed, swaps, apiRejections, (long) callers * swaps, endpoint.refreshTokenReuses());
            assertThat(calls.failed.get()).as(calls.toString()).isZero();
            assertThat(calls.ok.get()).isGreaterThan(1000);
            assertThat(tokenRequests).isBetween(1, (int) allowed);
            assertThat(apiRejections).isLessThanOrEqualTo((long) callers * swaps);
            assertThat(endpoint.refreshTokenReuses()).as("refresh tokens redeemed twice").isZero();
            double publications = 0;
            for (ConfigurableApplicationContext instance : fleet.instances()) {
                publications += Fleet.meter(instance, "api.auth.shared.publications");
                assertThat(Fleet.health(instance).getStatus()).isEqualTo(Status.UP);
                assertThat(Fleet.meter(instance, "api.auth.shared.fallbacks")).as("token requests outside the fleet")
                    .isZero();
                assertThat(Fleet.meter(instance, "api.auth.shared.degraded")).as("degraded").isZero();
            }
            assertThat(publications).as("tokens adopted from another instance's publication").isPositive();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }
}
