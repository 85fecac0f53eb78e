package dev.tokenstarter.benchmarks.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.benchmarks.support.RedisClusterProcess;
import dev.tokenstarter.benchmarks.support.RedisProcess;
import dev.tokenstarter.benchmarks.support.SimultaneousCallers;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.refresh.ExecutorRefreshScheduler;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.internal.shared.SharedTokenStatus;
import dev.tokenstarter.token.internal.shared.SharedTokens;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

/**
 * Shared tokens across a fleet, in one JVM against a real {@code redis-server} and a three-master Redis
 * Cluster (both started here; the program stops with a message saying how to install them when missing) and
 * {@link LoopbackTokenEndpoint}s, each row measured twice by default:
 * <ol>
 * <li>token requests for N = 1, 2, 4, 8 instances, sharing off and on (one node, cluster): 2-second tokens,
 * refreshed 300 ms ahead by each instance's scheduled refresher (no jitter), 2 callers per instance asking
 * for a token every 2 ms for 4.5 refresh periods (each instance refreshes exactly 4 times), with the time
 * each {@code getToken()} took;</li>
 * <li>how long the callers of the instance that refreshes wait, sharing off and on: 4 instances, the token
 * endpoint answering after 50 ms; in each of 100 rounds (after 10 warm-up rounds) the first instance's token
 * is dropped and 16 callers ask for one at the same instant, so they wait for that instance's fetch (with
 * sharing: mark the token rejected, read Redis, take the lease, read again, fetch, store and publish, give
 * the lease back).</li>
 * </ol>
 * Arguments: {@code requests} or {@code wait} runs only that part, {@code node} or {@code cluster} only that
 * Redis, {@code runs=N} measures each row N times. Each instance is assembled as the auto-configuration does
 * (provider, {@link SharedTokens} in front of the endpoint client, scheduled refresher) with its own Lettuce
 * connection factory. Run with {@code -Dbench.main=dev.tokenstarter.benchmarks.shared.FleetSharing
 * -Dbench.args=} (see docs/BENCHMARKS.md).
 */
public final class FleetSharing {

    private static final Duration LIFETIME = Duration.ofSeconds(2);

    private static final RefreshTiming TIMING = new RefreshTiming(Duration.ofMillis(300), Duration.ofMillis(100),
            Duration.ofSeconds(4));

    private static final Duration ENDPOINT_LATENCY = Duration.ofMillis(20);

    /** An instance refreshes every lifetime less the 300 ms ahead, plus the endpoint's answer: about 1.72 s. */
    private static final Duration REFRESH_PERIOD = LIFETIME.minus(TIMING.refreshBefore()).plus(ENDPOINT_LATENCY);

    /**
     * 4.5 refresh periods, starting {@link #ALIGNMENT} after the fleet's first refresh: each instance's
     * scheduler refreshes exactly 4 times, so the count does not depend on where the run starts in a period.
     */
    private static final Duration RUN = REFRESH_PERIOD.multipliedBy(9).dividedBy(2);

    private static final int REFRESHES_PER_RUN = 4;

    /**
     * How long after the fleet's first refresh counting starts. Instances are started one after the other
     * (with sharing, each opens its Redis connections: a second or more for 8), so their first tokens, and
     * without sharing their refresh phases, spread over that time; with sharing they all follow the first
     * token. Started after the first instance's first refresh, plus this, a 4.5-period window holds exactly
     * 4 refreshes of every instance whose phase is within this of the first one's.
     */
    static final Duration ALIGNMENT = Duration.ofMillis(600);

    private static final int[] FLEET_SIZES = { 1, 2, 4, 8 };

    private static final int CALLERS_PER_INSTANCE = 2;

    private static final int WAIT_ROUNDS = 100;

    private static final int WAIT_WARMUP_ROUNDS = 10;

    private static final int WAIT_CALLERS = 16;

    private FleetSharing() {
    }

    /**
     * @param args {@code requests} or {@code wait} for one part only, {@code node} or {@code cluster} for one
     * Redis only, {@code runs=N} for N measurements of each row (2 by default)
     */
    public static void main(String[] args) throws Exception {
        // The JDK's HTTP server writes the response headers and body apart; with Nagle's algorithm on its socket
        // a delayed ACK then held some token answers back by 40 ms (on loopback, in this program, only when
        // the request followed Redis commands), which is the test endpoint's cost, not the starter's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<String> parts = List.of(args);
        int runs = parts.stream().filter((arg) -> arg.startsWith("runs=")).map((arg) -> Integer.parseInt(arg.substring(5)))
            .findFirst().orElse(2);
        boolean node = !parts.contains("cluster") || parts.contains("node");
        boolean cluster = !parts.contains("node") || parts.contains("cluster");
        try (RedisProcess redis = node ? RedisProcess.start() : null;
                RedisClusterProcess redisCluster = cluster ? RedisClusterProcess.start() : null) {
            System.out.printf("Shared tokens: %s; %s; %d run(s) of each row%n%n",
                    (redis != null) ? "redis-server on port " + redis.port() : "no single node",
                    (redisCluster != null) ? "a three-master Redis Cluster on ports " + redisCluster.ports() : "no cluster",
                    runs);
            List<Mode> modes = new ArrayList<>(List.of(new Mode("off", null)));
            if (redis != null) {
                modes.add(new Mode("node", redis::connectionFactory));
            }
            if (redisCluster != null) {
                modes.add(new Mode("cluster", redisCluster::connectionFactory));
            }
            if (parts.isEmpty() || parts.contains("requests") || !parts.contains("wait")) {
                tokenRequestsPerLifetime(modes, runs);
            }
            if (parts.isEmpty() || parts.contains("wait") || !parts.contains("requests")) {
                callerWait(modes, runs);
            }
        }
        System.exit(0);
    }

    /** Sharing off ({@code redis} null), or on through one node or a cluster. */
    private record Mode(String name, @Nullable Supplier<LettuceConnectionFactory> redis) {
    }

    private static void tokenRequestsPerLifetime(List<Mode> modes, int runs) throws Exception {
        System.out.printf("1. Token requests: %d-s tokens refreshed %d ms ahead, endpoint answers after %d ms (one refresh "
                + "period %d ms), %d ms (%d refreshes per instance), %d callers per instance every 2 ms%n",
                LIFETIME.toSeconds(), TIMING.refreshBefore().toMillis(), ENDPOINT_LATENCY.toMillis(),
                REFRESH_PERIOD.toMillis(), RUN.toMillis(), REFRESHES_PER_RUN, CALLERS_PER_INSTANCE);
        System.out.printf("%4s %8s %4s %9s %11s %13s %15s %15s %15s %9s%n", "N", "sharing", "run", "requests", "per period",
                "per lifetime", "getToken p50 µs", "getToken p99 µs", "getToken max ms", "calls");
        for (int n : FLEET_SIZES) {
            for (Mode mode : modes) {
                for (int run = 1; run <= runs; run++) {
                    try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(LIFETIME)
                        .latency(ENDPOINT_LATENCY).tokenPrefix("fleet-token").start();
                            Fleet fleet = new Fleet(n, endpoint, mode.redis(), Duration.ofSeconds(10))) {
                        fleet.alignToRefreshPeriod(endpoint);
                        endpoint.resetCounts();
                        long[] latencies = fleet.call(RUN);
                        int requests = endpoint.requestCount();
                        System.out.printf("%4d %8s %4d %9d %11.2f %13.2f %15.2f %15.2f %15.2f %9d%n", n, mode.name(), run,
                                requests, requests / (double) REFRESHES_PER_RUN,
                                requests * LIFETIME.toNanos() / (double) RUN.toNanos(), percentile(latencies, 50) / 1e3,
                                percentile(latencies, 99) / 1e3, percentile(latencies, 100) / 1e6, latencies.length);
                    }
                }
            }
        }
        System.out.println();
    }

    /**
     * Callers waiting for their instance's fetch after its token was dropped ({@code invalidate}, as after a
     * 401). The fleet's refetch limit after a rejection is off here ({@code min-refetch-interval: 0}), so that
     * every round fetches: with the default 10 s, rounds 100 ms apart would mostly wait for the limit instead.
     */
    private static void callerWait(List<Mode> modes, int runs) throws Exception {
        System.out.printf("2. Callers of the refreshing instance: 4 instances, endpoint answers after 50 ms, %d rounds of "
                + "%d callers, refetch limit off%n", WAIT_ROUNDS, WAIT_CALLERS);
        System.out.printf("%8s %4s %9s %10s %10s %10s %s%n", "sharing", "run", "requests", "p50 ms", "p99 ms", "max ms",
                "refreshing instance's leases won/lost, fallbacks");
        for (Mode mode : modes) {
            for (int run = 1; run <= runs; run++) {
                try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().latency(Duration.ofMillis(50))
                    .tokenPrefix("fleet-token").start(); Fleet fleet = new Fleet(4, endpoint, mode.redis(), Duration.ZERO)) {
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
                    SharedTokens sharedTokens = fleet.instances.get(0).shared;
                    @Nullable SharedTokenStatus status = (sharedTokens != null) ? sharedTokens.status() : null;
                    System.out.printf("%8s %4d %9d %10.2f %10.2f %10.2f %s%n", mode.name(), run, endpoint.requestCount(),
                            percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6,
                            percentile(latencies, 100) / 1e6, (status == null) ? "-" : status.locksWon() + "/"
                                    + status.locksLost() + ", " + status.fallbacks());
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

        Fleet(int size, LoopbackTokenEndpoint endpoint, @Nullable Supplier<LettuceConnectionFactory> redis,
                Duration rejectionRefetchInterval) {
            String keyPrefix = "bench:" + size + ":" + System.nanoTime();
            for (int i = 0; i < size; i++) {
                instances.add(new Instance(i, endpoint, redis, keyPrefix, rejectionRefetchInterval));
            }
            for (Instance instance : instances) {
                instance.provider.getToken();
            }
        }

        /**
         * Waits for the fleet's first refresh after the start (the first instance's, or with sharing the
         * fleet's one), then {@link #ALIGNMENT}: counting from then is independent of how long starting took.
         */
        void alignToRefreshPeriod(LoopbackTokenEndpoint endpoint) throws InterruptedException {
            int started = endpoint.requestCount();
            long deadline = System.nanoTime() + REFRESH_PERIOD.multipliedBy(2).toNanos();
            while (endpoint.requestCount() == started && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(ALIGNMENT.toMillis());
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

        Instance(int index, LoopbackTokenEndpoint endpoint, @Nullable Supplier<LettuceConnectionFactory> redis,
                String keyPrefix, Duration rejectionRefetchInterval) {
            Clock clock = Clock.systemUTC();
            TokenEndpointConfig config = TokenEndpointConfig.of(endpoint.uri(),
                    TokenEndpointConfig.Credentials.clientCredentials("bench-client", "bench-secret"));
            TokenSource endpointSource = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
            Function<TokenSource, CachingTokenProvider> newProvider = (source) -> new CachingTokenProvider(source, TIMING,
                    new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), clock, Ticker.SYSTEM,
                    Duration.ofSeconds(10), "instance " + index);
            if (redis != null) {
                connectionFactory = redis.get();
                shared = new SharedTokens("bench", connectionFactory, new SharedTokens.Settings(keyPrefix, "bench",
                        null, Duration.ofMillis(500), rejectionRefetchInterval, false), TIMING, clock, Ticker.SYSTEM);
                provider = shared.share((inFrontOfEndpoint) -> newProvider.apply(inFrontOfEndpoint.apply(endpointSource)));
            }
            else {
                connectionFactory = null;
                shared = null;
                provider = newProvider.apply(endpointSource);
            }
            scheduler = new ExecutorRefreshScheduler("bench-refresh-" + index);
            refresher = new ScheduledTokenRefresher(provider, scheduler, Duration.ZERO, true, false);
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
