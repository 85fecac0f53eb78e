package dev.tokenstarter.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;

import dev.tokenstarter.benchmarks.support.RedisProcess;
import dev.tokenstarter.benchmarks.support.SpringSecurityClients;
import dev.tokenstarter.benchmarks.support.StarterClients;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.shared.SharedTokens;

/**
 * Reading a still-valid token: token-starter's provider (blocking and reactive, with the system clock and
 * with a fixed one) against Spring Security's authorized-client managers with a cached client_credentials
 * token, next to the cost of one clock read, which any correct expiry check pays. {@code starterGetTokenShared}
 * reads through a provider whose token is shared through Redis ({@code shared.enabled}): it starts a real
 * {@code redis-server} (and fails saying how to install it when there is none); the other cases need no Redis.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch" })
public class HotPathBenchmark {

    private final Clock systemClock = Clock.systemUTC();

    private CachingTokenProvider provider;

    private CachingTokenProvider fixedClockProvider;

    private SpringSecurityClients spring;

    @Setup
    public void setUp() {
        provider = new StarterClients(systemClock).provider();
        fixedClockProvider = new StarterClients(Clock.fixed(Instant.now(), ZoneOffset.UTC)).provider();
        spring = SpringSecurityClients.withCachedToken();
    }

    @Benchmark
    public long clockFloorCurrentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Benchmark
    public long clockFloorClockMillis() {
        return systemClock.millis();
    }

    @Benchmark
    public long clockFloorNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public AccessToken starterGetToken() {
        return provider.getToken();
    }

    /** The same read with sharing on: the token came through Redis, the instance listens for publications. */
    @Benchmark
    public AccessToken starterGetTokenShared(SharedProvider shared) {
        return shared.provider.getToken();
    }

    @Benchmark
    public AccessToken starterGetTokenFixedClock() {
        return fixedClockProvider.getToken();
    }

    @Benchmark
    public AccessToken starterReactiveTokenBlock() {
        return provider.token().block();
    }

    @Benchmark
    public AccessToken starterReactiveTokenBlockFixedClock() {
        return fixedClockProvider.token().block();
    }

    @Benchmark
    public OAuth2AuthorizedClient springServletAuthorize() {
        return spring.servletManager().authorize(spring.request());
    }

    @Benchmark
    public OAuth2AuthorizedClient springReactiveAuthorizeBlock() {
        return spring.reactiveManager().authorize(spring.request()).block();
    }

    /** A provider sharing its token through a real Redis, with the token fetched through it and cached. */
    @State(Scope.Benchmark)
    public static class SharedProvider {

        private RedisProcess redis;

        private LettuceConnectionFactory connectionFactory;

        private SharedTokens shared;

        private CachingTokenProvider provider;

        @Setup
        public void setUp() throws Exception {
            Clock clock = Clock.systemUTC();
            redis = RedisProcess.start();
            connectionFactory = redis.connectionFactory();
            shared = new SharedTokens("benchmark", connectionFactory, new SharedTokens.Settings(
                    "bench:hot-path:" + System.nanoTime(), "benchmark", null, Duration.ofMillis(500), Duration.ofSeconds(10),
                    false), RefreshTiming.DEFAULTS, clock, Ticker.SYSTEM);
            provider = shared.share((inFrontOfEndpoint) -> new CachingTokenProvider(
                    inFrontOfEndpoint.apply(StarterClients.oneHourTokens(clock)), RefreshTiming.DEFAULTS,
                    RetryBackoff.DEFAULTS, clock, "benchmark"));
            provider.getToken();
            if (shared.status().locksWon() != 1 || shared.status().degraded()) {
                throw new IllegalStateException("The first token did not come through Redis: " + shared);
            }
        }

        @TearDown
        public void tearDown() {
            shared.close();
            connectionFactory.destroy();
            redis.close();
        }
    }
}
