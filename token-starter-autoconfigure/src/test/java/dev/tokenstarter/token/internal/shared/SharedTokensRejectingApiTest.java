package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.tokenstarter.token.internal.actuate.SharedTokenMetrics;
import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API that rejects every token (another audience, say) called by four instances sharing their token: the
 * rate limit on 401-triggered refetches ({@code refresh.min-refetch-interval}) holds for the fleet, so the
 * token endpoint sees at most one such request per interval in total, not one per instance. Real time:
 * 2-second interval, 5 s of calls, the instances' callers starting half a second apart.
 */
class SharedTokensRejectingApiTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private static final Duration RUN = Duration.ofSeconds(5);

    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(6);

    @Test
    void fourInstancesMakeAtMostOneTokenRequestPerRefetchIntervalInTotal() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().apiRejectsEveryToken().start();
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=rejecting:" + System.nanoTime(),
                        "api.auth.refresh.min-refetch-interval=" + INTERVAL.toMillis() + "ms",
                        // waiters' bound (half of it) beyond the interval, as with the defaults (15 s, 10 s)
                        "api.auth.refresh.wait-timeout=" + WAIT_TIMEOUT.toMillis() + "ms")) {
            for (int i = 0; i < 4; i++) {
                fleet.start();
            }
            int atStartup = endpoint.requestCount();
            endpoint.resetCounts();

            // traffic reaches the instances a quarter interval apart, so their own limits do not line up
            long begin = System.nanoTime();
            Fleet.Calls calls = fleet.call(2, RUN, INTERVAL.dividedBy(4));
            // a call started near the end may wait for the fleet's next token: count the intervals until it ended
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();

            long allowed = elapsedMillis / INTERVAL.toMillis() + 1;
            System.out.printf("API rejecting every token, 4 instances sharing, %d ms refetch interval, %d s of calls "
                    + "(starting 500 ms apart, the last call ended after %d ms): "
                    + "%d token request(s) at startup, then %d (at most %d allowed), %d API calls (%d with the "
                    + "latest token), calls %s%n", INTERVAL.toMillis(), RUN.toSeconds(), elapsedMillis, atStartup,
                    endpoint.requestCount(), allowed, endpoint.apiCalls(), endpoint.apiCalls(TokenStatus.VALID), calls);
            assertThat(atStartup).isEqualTo(1);
            assertThat(calls.ok.get()).isZero();
            assertThat(calls.failed.get()).as("every call gets the API's 401").isGreaterThan(100);
            assertThat(endpoint.requestCount()).isBetween(1, (int) allowed);
            // a denied instance waits for the fleet's next token, never past its bound, then fetches itself
            assertThat(Duration.ofNanos(calls.slowestNanos.get())).as("denied instances wait at most their bound")
                .isLessThan(WAIT_TIMEOUT.dividedBy(2).plusMillis(500));
            double denied = fleet.instances().stream()
                .mapToDouble((instance) -> Fleet.meter(instance, SharedTokenMetrics.REJECTION_REFETCHES_DENIED, "client", "api"))
                .sum();
            System.out.printf("refetches after a 401 left to another instance: %.0f%n", denied);
            assertThat(denied).isPositive();
        }
    }
}
