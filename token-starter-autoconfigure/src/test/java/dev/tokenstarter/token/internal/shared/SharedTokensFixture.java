package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.TokenSource;

/**
 * Instances of one client sharing tokens through a real Redis, each a {@link SharedTokens} in front of a
 * {@link CachingTokenProvider}, and one token endpoint for all of them: numbered tokens with rotating
 * single-use refresh tokens, whose expiry each instance computes on its own clock (as a real client does
 * from {@code expires_in}), and requests a test can hold back until it releases them.
 */
final class SharedTokensFixture implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final LettuceConnectionFactory connectionFactory;

    final String prefix = "fixture:" + System.nanoTime();

    final Endpoint endpoint = new Endpoint();

    /**
     * Each Redis command's timeout; past it sharing degrades and an instance fetches on its own. Tests of the
     * fleet's decisions that must not degrade on a loaded machine set a longer one.
     */
    Duration commandTimeout = Duration.ofMillis(500);

    private final List<Instance> instances = new ArrayList<>();

    SharedTokensFixture(int redisPort) {
        this.connectionFactory = SharedTokenStoreTest.SharedRedisSupport.connect(redisPort);
    }

    SharedTokenStore store() {
        return new SharedTokenStore(connectionFactory, prefix);
    }

    /** An instance with the given wait timeout (the waiters' bound is half of it) and a 10 s refetch interval. */
    Instance instance(Duration waitTimeout) {
        return instance(waitTimeout, Clock.systemUTC(), "client-identity", false);
    }

    Instance instance(Duration waitTimeout, Clock clock, String identity, boolean refreshTokenGrant) {
        RefreshTiming timing = new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), waitTimeout);
        return instance(timing, clock, identity, refreshTokenGrant, connectionFactory);
    }

    Instance instance(RefreshTiming timing, Clock clock, String identity, boolean refreshTokenGrant,
            ReactiveRedisConnectionFactory redis) {
        return instance(timing, clock, identity, refreshTokenGrant, redis, endpoint.source(clock));
    }

    /** An instance whose token requests go to {@code tokenEndpoint} instead of the fixture's endpoint. */
    Instance instance(Duration waitTimeout, TokenSource tokenEndpoint) {
        RefreshTiming timing = new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), waitTimeout);
        return instance(timing, Clock.systemUTC(), "client-identity", false, connectionFactory, tokenEndpoint);
    }

    private Instance instance(RefreshTiming timing, Clock clock, String identity, boolean refreshTokenGrant,
            ReactiveRedisConnectionFactory redis, TokenSource tokenEndpoint) {
        Ticker ticker = (clock instanceof Ticker own) ? own : Ticker.SYSTEM;
        SharedTokens shared = new SharedTokens("api", redis, new SharedTokens.Settings(prefix, identity, null,
                commandTimeout, Duration.ofSeconds(10), refreshTokenGrant), timing, clock, ticker);
        AtomicReference<TokenSource> source = new AtomicReference<>();
        CachingTokenProvider provider = shared.share((inFrontOfEndpoint) -> {
            source.set(inFrontOfEndpoint.apply(tokenEndpoint));
            return new CachingTokenProvider(source.get(), timing,
                    new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)), clock, ticker, Duration.ofSeconds(10),
                    "api");
        });
        Instance instance = new Instance(shared, source.get(), provider);
        instances.add(instance);
        return instance;
    }

    @Override
    public void close() {
        endpoint.release();
        instances.forEach((instance) -> instance.shared.close());
        connectionFactory.destroy();
    }

    /**
     * @param source what the provider fetches from, to ask with a reason of the test's
     */
    record Instance(SharedTokens shared, TokenSource source, CachingTokenProvider provider) {

        /** What health and metrics show of this instance's sharing. */
        SharedTokenStatus status() {
            return shared.status();
        }
    }

    /** The token endpoint of every instance. */
    static final class Endpoint {

        static final Duration LIFETIME = Duration.ofHours(1);

        private final AtomicInteger issued = new AtomicInteger();

        private final Queue<Sinks.One<Boolean>> held = new ConcurrentLinkedQueue<>();

        private final AtomicInteger toHold = new AtomicInteger();

        /** What each request presented: the refresh token, or {@code null} for the base grant. */
        final List<@Nullable String> presented = new CopyOnWriteArrayList<>();

        final List<String> redeemed = new CopyOnWriteArrayList<>();

        volatile Duration lifetime = LIFETIME;

        /** The requests' source for an instance whose clock is {@code clock}. */
        TokenSource source(Clock clock) {
            return (previous) -> Mono.defer(() -> {
                String refreshToken = (previous != null) ? previous.refreshToken() : null;
                presented.add(refreshToken);
                Mono<Boolean> gate = Mono.just(true);
                if (toHold.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
                    Sinks.One<Boolean> sink = Sinks.one();
                    held.add(sink);
                    gate = sink.asMono();
                }
                return gate.map((ignored) -> {
                    if (refreshToken != null) {
                        redeemed.add(refreshToken);
                    }
                    int number = issued.incrementAndGet();
                    Instant now = clock.instant();
                    return new AccessToken("token-" + number, "Bearer", now, now.plus(lifetime), "refresh-" + number,
                            java.util.Set.of(), null);
                });
            });
        }

        int requests() {
            return presented.size();
        }

        int issued() {
            return issued.get();
        }

        void holdNext() {
            toHold.incrementAndGet();
        }

        int held() {
            return held.size();
        }

        void release() {
            Sinks.One<Boolean> sink;
            while ((sink = held.poll()) != null) {
                sink.tryEmitValue(true);
            }
        }

        /** Refresh tokens redeemed more than once. */
        long reuses() {
            return redeemed.size() - redeemed.stream().distinct().count();
        }
    }
}
