package dev.tokenstarter.token.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.shared.SharedTokens;

/**
 * Wires a client's {@link SharedTokens} ({@code shared.enabled}). Kept apart from {@link TokenClientBeans},
 * so that Spring Data Redis classes are loaded only when a client shares its token.
 */
final class SharedTokensWiring {

    /** Present when Spring Data Redis is. */
    static final String SPRING_DATA_REDIS = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

    /** Present when Lettuce is. */
    static final String LETTUCE = "io.lettuce.core.RedisClient";

    private SharedTokensWiring() {
    }

    /** Fails startup, naming the property, when shared tokens cannot work without a Redis client library. */
    static void requireRedisClient(String prefix, boolean springDataRedis, boolean lettuce) {
        if (!springDataRedis || !lettuce) {
            throw new InvalidTokenClientPropertyException(prefix + ".shared.enabled", "it is true, but "
                    + (springDataRedis ? "Lettuce" : "Spring Data Redis") + " is not on the class path",
                    "Add org.springframework.boot:spring-boot-starter-data-redis (Spring Data Redis with Lettuce) and "
                            + "configure spring.data.redis.*, or set " + prefix + ".shared.enabled=false.");
        }
    }

    static SharedTokens sharedTokens(String client, String prefix, TokenClientProperties properties,
            ListableBeanFactory beanFactory, Environment environment, Clock clock) {
        ReactiveRedisConnectionFactory connectionFactory = beanFactory.getBeanProvider(ReactiveRedisConnectionFactory.class)
            .getIfUnique();
        if (connectionFactory == null) {
            boolean blockingOnly = beanFactory.getBeanNamesForType(RedisConnectionFactory.class).length > 0;
            throw new InvalidTokenClientPropertyException(prefix + ".shared.enabled", "it is true, but there is "
                    + (blockingOnly ? "no reactive RedisConnectionFactory (Jedis is not reactive; shared tokens never block a thread)"
                            : "no RedisConnectionFactory bean"),
                    blockingOnly ? "Use Lettuce (spring-boot-starter-data-redis without excluding it), or set "
                            + prefix + ".shared.enabled=false."
                            : "Add org.springframework.boot:spring-boot-starter-data-redis and configure spring.data.redis.* "
                                    + "(or define a LettuceConnectionFactory bean), or set " + prefix
                                    + ".shared.enabled=false.");
        }
        TokenClientProperties.Shared shared = properties.getShared();
        String keyPrefix = StringUtils.hasText(shared.getKeyPrefix()) ? shared.getKeyPrefix()
                : "token-starter:" + environment.getProperty("spring.application.name", "application") + ":" + client;
        TokenClientProperties.Request request = properties.getRequest();
        return new SharedTokens(client, connectionFactory, keyPrefix, shared.getEncryptionKey(),
                TokenClientAssembler.timing(properties), request.getConnectTimeout().plus(request.getReadTimeout()),
                shared.getCommandTimeout(), properties.getRefresh().getMinRefetchInterval(), clock,
                TokenClientAssembler.ticker(clock));
    }

    static CachingTokenProvider tokenProvider(String client, TokenClientProperties properties, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport,
            TokenClientAssembler.ResolvedCredentials resolved, Object sharedTokens) {
        SharedTokens shared = (SharedTokens) sharedTokens;
        CachingTokenProvider provider = TokenClientAssembler.tokenProvider(client, properties, clock, observer,
                transport, resolved, shared::share, null);
        shared.attach(provider);
        return provider;
    }
}
