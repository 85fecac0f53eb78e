package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four instances against a token endpoint that revokes every earlier token when it issues a new one, with
 * concurrent callers in each: with shared tokens the fleet makes one token request per token period and no
 * call fails (a call that races a refresh with the old token gets a 401 from the API, which the client
 * answers with one retry on the fleet's new token; the printed figures count those 401s); without, every
 * instance refreshes on its own and they revoke each other's tokens.
 * A real-time soak: 2-second tokens for 10 s (five lifetimes) per run, two runs.
 */
class SharedTokensFleetTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final long LIFETIME_SECONDS = 2;

    private static final Duration RUN = Duration.ofSeconds(10);

    /** Tokens are refreshed refresh.before (300 ms) ahead of expiry: one token per 1.7 s. */
    private static final double PERIOD_SECONDS = LIFETIME_SECONDS - 0.3;

    @Test
    void fourInstancesShareOneTokenPerLifetimeAndNoCallFails() throws Exception {
        Result on = run(true);
        Result off = run(false);
        double periods = RUN.toMillis() / 1000.0 / PERIOD_SECONDS;
        System.out.printf("fleet of 4, %d s of 2-s tokens (%.1f token periods, %.0f lifetimes), revoking endpoint:%n"
                + "  sharing on:  %d token requests, %d API 401s, calls %s%n"
                + "  sharing off: %d token requests, %d API 401s, calls %s%n", RUN.toSeconds(), periods,
                RUN.toSeconds() / (double) LIFETIME_SECONDS, on.tokenRequests, on.apiRejections, on.calls, off.tokenRequests,
                off.apiRejections, off.calls);
        assertThat(on.calls.failed.get()).as(on.calls.toString()).isZero();
        assertThat(on.calls.ok.get()).isGreaterThan(1000);
        // the bound: the number of lifetimes, give or take one (refreshes come a little more often)
        double lifetimes = RUN.toSeconds() / (double) LIFETIME_SECONDS;
        assertThat((double) on.tokenRequests).isBetween(lifetimes - 1, periods + 1.5);
        assertThat(off.tokenRequests).isGreaterThan(3 * on.tokenRequests);
    }

    private Result run(boolean shared) throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(LIFETIME_SECONDS))
            .revokeEarlierTokens()
            .start();
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=" + shared,
                        "api.auth.shared.key-prefix=fleet-test:" + shared + ":" + System.nanoTime(),
                        "api.auth.shared.encryption-key=" + SharedTokenStoreTest.key(7),
                        // scaled to 2-second tokens, as the default 10 s is to real ones: shorter than half the
                        // wait timeout (4 s), else a denied instance stops waiting for the fleet's refetch and
                        // requests a token of its own (SharedTokensWiring warns of that at startup)
                        "api.auth.refresh.min-refetch-interval=1500ms")) {
            for (int i = 0; i < 4; i++) {
                fleet.start();
            }
            fleet.call(1, Duration.ofMillis(500)); // warm-up: every instance has a token and its clients
            endpoint.resetCounts();
            Fleet.Calls calls = fleet.call(3, RUN);
            return new Result(endpoint.requestCount(), endpoint.apiCalls() - endpoint.apiCalls(TokenStatus.VALID), calls);
        }
    }

    private record Result(int tokenRequests, long apiRejections, Fleet.Calls calls) {
    }
}
