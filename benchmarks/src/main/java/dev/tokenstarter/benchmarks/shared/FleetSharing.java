package dev.tokenstarter.benchmarks.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.benchmarks.support.RedisProcess;
import dev.tokenstarter.benchmarks.support.SimultaneousCallers;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.RefreshTiming;
import dev.tokenstarter.token.RetryBackoff;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenSource;
import dev.tokenstarter.token.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.refresh.ExecutorRefreshScheduler;
import dev.tokenstarter.token.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.shared.SharedTokens;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

/**
 * Shared tokens across a fleet, in one JVM against a real {@code redis-server} (started here; the program
 * stops with a message saying how to install it when it is missing) and {@link LoopbackTokenEndpoint}s:
 * <ol>
 * <li>token requests per token lifetime for N = 1, 2, 4, 8 instances, sharing off and on: 2-second tokens,
 * refreshed 300 ms ahead by each instance's scheduled refresher (no jitter), 2 callers per instance asking
 * for a token every 2 ms for 8 s (4 lifetimes), with the time each {@code getToken()} took;</li>
 * <li>how long the callers of the instance that refreshes wait, sharing off and on: 4 instances, the token
 * endpoint answering after 50 ms; in each of 100 rounds (after 10 warm-up rounds) the first instance's token
 * is dropped and 16 callers ask for one at the same instant, so they wait for that instance's fetch (with
 * sharing: read Redis, take the lock, fetch, store and publish, release).</li>
 * </ol>
 * Arguments: {@code requests} or {@code wait} runs only that part. Each instance is assembled as the
 * auto-configuration does (provider, {@link SharedTokens} in front of the
 * endpoint client, scheduled refresher) with its own Lettuce connection factory. Run with
 * {@code -Dbench.main=dev.tokenstarter.benchmarks.shared.FleetSharing -Dbench.args=} (see docs/BENCHMARKS.md).
 */
public final class FleetSharing {

    private static final Duration LIFETIME = Duration.ofSeconds(2);

    private static final Duration RUN = Duration.ofSeconds(8);

    private static final RefreshTiming TIMING = new RefreshTiming(Duration.ofMillis(300), Duration.ofMillis(100),
            Duration.ofSeconds(4));

    private static final int[] FLEET_SIZES = { 1, 2, 4, 8 };

    private static final int CALLERS_PER_INSTANCE = 2;

    private static final int WAIT_ROUNDS = 100;

    private static final int WAIT_WARMUP_ROUNDS = 10;

    private static final int WAIT_CALLERS = 16;

    private FleetSharing() {
    }

    /**
     * @param args {@code requests} or {@code wait} for one part only; both when empty
     */
    public static void main(String[] args) throws Exception {
        // The JDK's HTTP server writes the response headers and body apart; with Nagle's algorithm on its socket
        // a delayed ACK then held some token answers back by 40 ms (on loopback, in this program, only when
        // the request followed Redis commands), which is the test endpoint's cost, not the starter's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try (RedisProcess redis = RedisProcess.start()) {
            System.out.printf("Shared tokens: redis-server on port %d%n%n", redis.port());
            List<String> parts = List.of(args);
            if (parts.isEmpty() || parts.contains("requests")) {
                tokenRequestsPerLifetime(redis);
            }
            if (parts.isEmpty() || parts.contains("wait")) {
                callerWait(redis);
            }
        }
        System.exit(0);
    }

    private static void tokenRequestsPerLifetime(RedisProcess redis) throws Exception {
        System.out.printf("1. Token requests per token lifetime: %d-s tokens refreshed %d ms ahead, %d s (%d lifetimes), "
                + "%d callers per instance%n", LIFETIME.toSeconds(), TIMING.refreshBefore().toMillis(), RUN.toSeconds(),
                RUN.dividedBy(LIFETIME), CALLERS_PER_INSTANCE);
        System.out.printf("%4s %8s %9s %13s %15s %15s %15s %9s%n", "N", "sharing", "requests", "per lifetime",
                "getToken p50 µs", "getToken p99 µs", "getToken max ms", "calls");
        for (int n : FLEET_SIZES) {
            for (boolean shared : new boolean[] { false, true }) {
                try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(LIFETIME)
                    .latency(Duration.ofMillis(20)).tokenPrefix("fleet-token").start();
                        Fleet fleet = new Fleet(n, endpoint, shared ? redis : null)) {
                    endpoint.resetCounts();
                    long[] latencies = fleet.call(RUN);
                    int requests = endpoint.requestCount();
                    System.out.printf("%4d %8s %9d %13.2f %15.2f %15.2f %15.2f %9d%n", n, shared ? "on" : "off", requests,
                            requests / (double) RUN.dividedBy(LIFETIME), percentile(latencies, 50) / 1e3,
                            percentile(latencies, 99) / 1e3, percentile(latencies, 100) / 1e6, latencies.length);
                }
            }
        }
        System.out.println();
    }

    private static void callerWait(RedisProcess redis) throws Exception {
        System.out.printf("2. Callers of the refreshing instance: 4 instances, endpoint answers after 50 ms, %d rounds of "
                + "%d callers%n", WAIT_ROUNDS, WAIT_CALLERS);
        System.out.printf("%8s %9s %10s %10s %10s%n", "sharing", "requests", "p50 ms", "p99 ms", "max ms");
        for (boolean shared : new boolean[] { false, true }) {
            try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().latency(Duration.ofMillis(50))
                .tokenPrefix("fleet-token").start(); Fleet fleet = new Fleet(4, endpoint, shared ? redis : null)) {
                CachingTokenProvider refreshing = fleet.instances.get(0).provider;
                for (int round = 0; round < WAIT_WARMUP_ROUNDS; round++) {
                    dropAndWait(refreshing);
                }
                endpoint.resetCounts();
                long[] latencies = new long[0];
                for (int round = 0; round < WAIT_ROUNDS; round++) {
                    long[] more = dropAndWait(refreshing);
                    latencies = concat(latencies, more);
                    Thread.sleep(10);
                }
                Arrays.sort(latencies);
                System.out.printf("%8s %9d %10.2f %10.2f %10.2f%n", shared ? "on" : "off", endpoint.requestCount(),
                        percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, percentile(latencies, 100) / 1e6);
                SharedTokens sharedTokens = fleet.instances.get(0).shared;
                if (sharedTokens != null) {
                    System.out.printf("%8s refresh locks won by the refreshing instance: %d, lost: %d, fallbacks: %d%n", "",
                            sharedTokens.locksWon(), sharedTokens.locksLost(), sharedTokens.fallbacks());
                }
            }
        }
    }

    /** Drops the instance's token and lets {@value #WAIT_CALLERS} callers ask for one at once. */
    private static long[] dropAndWait(CachingTokenProvider provider) throws InterruptedException {
        provider.invalidate(provider.getToken());
        SimultaneousCallers round = SimultaneousCallers.run(WAIT_CALLERS, provider::getToken, Duration.ofSeconds(30));
        if (round.errors() > 0) {
            throw new IllegalStateException(round.errors() + " caller(s) failed");
        }
        return round.nanos();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Of sorted values. */
    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(index, 0)];
    }

    /** N instances of one client, started one after the other, each with a token when the constructor returns. */
    private static final class Fleet implements AutoCloseable {

        private final List<Instance> instances = new ArrayList<>();

        Fleet(int size, LoopbackTokenEndpoint endpoint, @Nullable RedisProcess redis) {
            String keyPrefix = "bench:" + size + ":" + System.nanoTime();
            for (int i = 0; i < size; i++) {
                instances.add(new Instance(i, endpoint, redis, keyPrefix));
            }
            for (Instance instance : instances) {
                instance.provider.getToken();
            }
        }

        /** Two callers per instance ask for a token every 2 ms; the sorted time each call took. */
        long[] call(Duration duration) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> callers = new ArrayList<>();
            List<long[]> recorded = new ArrayList<>();
            int[] counts = new int[instances.size() * CALLERS_PER_INSTANCE];
            for (Instance instance : instances) {
                for (int i = 0; i < CALLERS_PER_INSTANCE; i++) {
                    int slot = recorded.size();
                    long[] latencies = new long[(int) (duration.toMillis() / 2) + 1];
                    recorded.add(latencies);
                    Thread caller = new Thread(() -> {
                        int count = 0;
                        while (System.nanoTime() < end && count < latencies.length) {
                            long start = System.nanoTime();
                            instance.provider.getToken();
                            latencies[count++] = System.nanoTime() - start;
                            sleepMillis(2);
                        }
                        counts[slot] = count;
                    }, "fleet-caller");
                    caller.start();
                    callers.add(caller);
                }
            }
            long[] all = new long[0];
            for (int i = 0; i < callers.size(); i++) {
                callers.get(i).join();
                all = concat(all, Arrays.copyOf(recorded.get(i), counts[i]));
            }
            Arrays.sort(all);
            return all;
        }

        @Override
        public void close() {
            instances.forEach(Instance::close);
        }
    }

    /** One instance as the auto-configuration assembles it, sharing through Redis when {@code redis} is given. */
    private static final class Instance {

        private final @Nullable LettuceConnectionFactory connectionFactory;

        private final @Nullable SharedTokens shared;

        private final CachingTokenProvider provider;

        private final ExecutorRefreshScheduler scheduler;

        private final ScheduledTokenRefresher refresher;

        Instance(int index, LoopbackTokenEndpoint endpoint, @Nullable RedisProcess redis, String keyPrefix) {
            Clock clock = Clock.systemUTC();
            TokenEndpointConfig config = TokenEndpointConfig.of(endpoint.uri(),
                    TokenEndpointConfig.Credentials.clientCredentials("bench-client", "bench-secret"));
            TokenSource source = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
            if (redis != null) {
                connectionFactory = redis.connectionFactory();
                shared = new SharedTokens("bench", connectionFactory, new SharedTokens.Settings(keyPrefix, "bench",
                        null, Duration.ofMillis(500), Duration.ofSeconds(10), false), TIMING, clock, Ticker.SYSTEM);
                source = shared.share(source);
            }
            else {
                connectionFactory = null;
                shared = null;
            }
            provider = new CachingTokenProvider(source, TIMING,
                    new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), clock, Ticker.SYSTEM,
                    Duration.ofSeconds(10), "instance " + index);
            if (shared != null) {
                shared.attach(provider);
            }
            scheduler = new ExecutorRefreshScheduler("bench-refresh-" + index);
            refresher = new ScheduledTokenRefresher(provider.refreshable(), scheduler, Duration.ZERO, true, false);
            refresher.start();
        }

        void close() {
            refresher.stop();
            scheduler.close();
            if (shared != null) {
                shared.close();
            }
            if (connectionFactory != null) {
                connectionFactory.destroy();
            }
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
