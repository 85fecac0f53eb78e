package dev.tokenstarter.token.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.shared.SharedTokens;

/**
 * Wires a client's {@link SharedTokens} ({@code shared.enabled}). Kept apart from {@link TokenClientBeans},
 * so that Spring Data Redis classes are loaded only when a client shares its token.
 */
final class SharedTokensWiring {

    private static final Log logger = LogFactory.getLog(SharedTokensWiring.class);

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
        SharedProperties shared = properties.getShared();
        String identity = identity(properties);
        String application = environment.getProperty("spring.application.name");
        boolean ownPrefix = StringUtils.hasText(shared.getKeyPrefix());
        if (!ownPrefix && !StringUtils.hasText(application)) {
            logger.warn("Client '" + client + "' shares its token through Redis, but spring.application.name is not "
                    + "set: its default key prefix names no application. Set spring.application.name (or "
                    + prefix + ".shared.key-prefix) so that the keys say whose token they hold.");
        }
        RefreshProperties refresh = properties.getRefresh();
        if (refresh.getWaitTimeout().dividedBy(2).compareTo(refresh.getMinRefetchInterval()) <= 0) {
            logger.warn("Client '" + client + "' shares its token, and half of " + prefix + ".refresh.wait-timeout ("
                    + refresh.getWaitTimeout().dividedBy(2).toMillis() + " ms) is not longer than " + prefix
                    + ".refresh.min-refetch-interval (" + refresh.getMinRefetchInterval().toMillis() + " ms): an instance "
                    + "denied the fleet's refetch after a rejection will stop waiting and request a token of its own "
                    + "before the interval ends. Raise the wait timeout or lower the interval.");
        }
        // the identity in the default prefix: clients that would get different tokens never meet; the braces are
        // the Redis Cluster hash tag that puts all of one client's keys in one slot
        String keyPrefix = ownPrefix ? Objects.requireNonNull(shared.getKeyPrefix())
                : "token-starter:{" + (StringUtils.hasText(application) ? application : "application") + ":" + client + ":"
                        + identity + "}";
        return new SharedTokens(client, connectionFactory,
                new SharedTokens.Settings(keyPrefix, identity, shared.getEncryptionKey(), shared.getCommandTimeout(),
                        refresh.getMinRefetchInterval(), properties.getGrantType() == GrantType.REFRESH_TOKEN),
                TokenClientAssembler.timing(properties), clock, TokenClientAssembler.ticker(clock));
    }

    /**
     * What defines the client's token: an entry with another identity is another client's. Keyed with the
     * encryption key when there is one, as extra parameters and headers may hold secrets.
     */
    static String identity(TokenClientProperties properties) {
        Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
        attributes.put("token-uri", properties.getTokenUri());
        attributes.put("issuer-uri", properties.getIssuerUri());
        attributes.put("client-id", properties.getClientId());
        attributes.put("grant-type", properties.getGrantType());
        attributes.put("scope", properties.getScope());
        attributes.put("username", properties.getUsername());
        TokenExchangeProperties exchange = properties.getTokenExchange();
        attributes.put("audience", exchange.getAudience());
        attributes.put("resource", exchange.getResource());
        if (properties.getGrantType() == GrantType.TOKEN_EXCHANGE) {
            attributes.put("subject-token-type", exchange.getSubjectTokenType());
            attributes.put("actor-token-type", exchange.getActorTokenType());
            attributes.put("requested-token-type", exchange.getRequestedTokenType());
        }
        attributes.put("extra-parameters", new TreeMap<>(properties.getRequest().getExtraParameters()));
        attributes.put("headers", new TreeMap<>(properties.getRequest().getHeaders()));
        return SharedTokens.identity(attributes, properties.getShared().getEncryptionKey());
    }

    static CachingTokenProvider tokenProvider(String client, TokenClientProperties properties, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport,
            TokenClientAssembler.ResolvedCredentials resolved, Object sharedTokens) {
        // the shared part builds the provider, so that each has the other from the start
        return ((SharedTokens) sharedTokens).share((inFrontOfEndpoint) -> TokenClientAssembler.tokenProvider(client,
                properties, clock, observer, transport, resolved, inFrontOfEndpoint, null));
    }
}
