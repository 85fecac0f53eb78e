package dev.tokenstarter.benchmarks.storm;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.tokenstarter.benchmarks.support.SimultaneousCallers;
import dev.tokenstarter.benchmarks.support.SpringSecurityClients;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.ManualClock;

/**
 * Refresh storm: 1,000 threads ask for a token at the same instant, just after the cached one expired.
 * Counts the token requests that reach the endpoint (which answers after 50 ms) and reports the callers'
 * latency, for token-starter's provider and for Spring Security's servlet authorized-client manager.
 * Run with {@code -Dbench.main=dev.tokenstarter.benchmarks.storm.RefreshStorm -Dbench.args=} (see
 * docs/BENCHMARKS.md).
 */
public final class RefreshStorm {

    private static final int CALLERS = 1000;

    private static final int ROUNDS = 5;

    private RefreshStorm() {
    }

    public static void main(String[] args) throws Exception {
        // 64 threads answer, each after 50 ms, standing in for a real authorization server's latency and capacity
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().latency(Duration.ofMillis(50))
            .threads(64).tokenPrefix("storm-token").start()) {
            System.out.printf("Refresh storm: %d callers, token endpoint answers after 50 ms, %d rounds each%n%n",
                    CALLERS, ROUNDS);
            System.out.printf("%-38s %10s %10s %10s %10s %8s%n", "client", "requests", "p50 ms", "p99 ms", "max ms",
                    "errors");
            for (int round = 0; round < ROUNDS + 1; round++) {
                report(round, "token-starter CachingTokenProvider", starterRound(endpoint));
            }
            for (int round = 0; round < ROUNDS + 1; round++) {
                report(round, "Spring Security servlet manager", springRound(endpoint));
            }
        }
        System.exit(0);
    }

    private static void report(int round, String name, Result result) {
        // round 0 warms the JIT and the connection pool; it is not reported
        if (round > 0) {
            System.out.printf("%-38s %10d %10.1f %10.1f %10.1f %8d%n", name, result.requests, result.percentile(50),
                    result.percentile(99), result.percentile(100), result.errors);
        }
    }

    private static Result starterRound(LoopbackTokenEndpoint endpoint) throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        TokenEndpointConfig config = TokenEndpointConfig.of(endpoint.uri(),
                TokenEndpointConfig.Credentials.clientCredentials("bench-client", "bench-secret"));
        CachingTokenProvider provider = new CachingTokenProvider(new TokenEndpointClient(config, clock,
                TokenFetchObserver.NONE), RefreshTiming.DEFAULTS, RetryBackoff.DEFAULTS, clock, "storm");
        provider.getToken();
        clock.set(clock.instant().plus(Duration.ofHours(2)));
        endpoint.resetCounts();
        return storm(endpoint, () -> provider.getToken());
    }

    private static Result springRound(LoopbackTokenEndpoint endpoint) throws Exception {
        SpringSecurityClients spring = new SpringSecurityClients(endpoint.uri().toString());
        // one real fetch first, as the starter's round does, so both start with a warm HTTP client
        spring.cacheToken("expired-token", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        spring.servletManager().authorize(spring.request());
        spring.cacheToken("expired-token", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        endpoint.resetCounts();
        return storm(endpoint, () -> spring.servletManager().authorize(spring.request()));
    }

    private static Result storm(LoopbackTokenEndpoint endpoint, Callable<Object> call) throws InterruptedException {
        SimultaneousCallers storm = SimultaneousCallers.run(CALLERS, call, Duration.ofSeconds(120));
        long[] latencies = storm.nanos();
        Arrays.sort(latencies);
        return new Result(endpoint.requestCount(), latencies, storm.errors());
    }

    private record Result(int requests, long[] sortedNanos, int errors) {

        double percentile(int p) {
            int index = Math.min(sortedNanos.length - 1, (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1);
            long nanos = sortedNanos[Math.max(index, 0)];
            return (nanos == Long.MAX_VALUE) ? Double.NaN : nanos / 1_000_000.0;
        }
    }
}
