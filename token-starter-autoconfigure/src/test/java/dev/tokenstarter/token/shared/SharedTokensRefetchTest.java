package dev.tokenstarter.token.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.RefreshTiming;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenSource;
import dev.tokenstarter.token.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet-wide limit on refetches after a 401, step by step against a real {@code redis-server}: a fetch
 * that replaces a token before it is due is such a refetch even when this instance's rejection listener has
 * not run yet (another caller of the provider can start the fetch first).
 */
class SharedTokensRefetchTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AtomicInteger requests = new AtomicInteger();

    private final TokenSource endpoint = (previous) -> Mono.fromSupplier(() -> {
        Instant now = Instant.now();
        return AccessToken.of("token-" + requests.incrementAndGet(), "Bearer", now, now.plus(Duration.ofHours(1)));
    });

    private LettuceConnectionFactory connectionFactory;

    private String prefix;

    private SharedTokens shared;

    @BeforeEach
    void connect() {
        connectionFactory = SharedTokenStoreTest.SharedRedisSupport.connect(redis.port());
        prefix = "refetch-test:" + System.nanoTime();
        shared = new SharedTokens("api", connectionFactory, prefix, null, RefreshTiming.DEFAULTS, Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(10), Clock.systemUTC(), Ticker.SYSTEM);
    }

    @AfterEach
    void disconnect() {
        shared.close();
        connectionFactory.destroy();
    }

    @Test
    void aTokenReplacedBeforeItIsDueIsKeptWhileAnotherInstanceMadeTheFleetsRefetch() {
        TokenSource source = shared.share(endpoint);
        AccessToken first = source.fetch(null).block(TIMEOUT);
        assertThat(requests).hasValue(1);
        // another instance has just refetched after a 401
        assertThat(new SharedTokenStore(connectionFactory, prefix).tryRejectionRefetch("other-instance",
                Duration.ofSeconds(10)).block(TIMEOUT)).isTrue();

        // the provider dropped the token after a 401; the listener has not told SharedTokens yet
        AccessToken next = source.fetch(first).block(TIMEOUT);

        assertThat(requests).as("token requests").hasValue(1);
        assertThat(next.value()).isEqualTo(first.value());
        assertThat(shared.rejectionRefetchesDenied()).isEqualTo(1);
    }

    @Test
    void aTokenDueForRefreshIsFetchedWhateverTheRejectionLimit() {
        TokenSource source = shared.share(endpoint);
        Instant now = Instant.now();
        AccessToken due = AccessToken.of("token-old", "Bearer", now.minus(Duration.ofHours(1)), now.plusSeconds(30));
        assertThat(new SharedTokenStore(connectionFactory, prefix).tryRejectionRefetch("other-instance",
                Duration.ofSeconds(10)).block(TIMEOUT)).isTrue();

        assertThat(source.fetch(due).block(TIMEOUT).value()).isEqualTo("token-1");
        assertThat(requests).hasValue(1);
    }
}
