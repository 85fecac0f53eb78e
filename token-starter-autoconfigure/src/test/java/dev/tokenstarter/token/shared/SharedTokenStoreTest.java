package dev.tokenstarter.token.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis side of shared tokens against a real {@code redis-server}: fenced writes, the rejection mark,
 * the lock, the TTL and what an encrypted entry holds.
 */
class SharedTokenStoreTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private LettuceConnectionFactory connectionFactory;

    private SharedTokenStore store;

    private ReactiveStringRedisTemplate template;

    @BeforeEach
    void connect() {
        connectionFactory = SharedRedisSupport.connect(redis.port());
        store = new SharedTokenStore(connectionFactory, "store-test:" + System.nanoTime());
        template = new ReactiveStringRedisTemplate(connectionFactory);
    }

    @AfterEach
    void disconnect() {
        connectionFactory.destroy();
    }

    @Test
    void anOlderTokenWrittenLateDoesNotReplaceANewerOne() {
        assertThat(store.store(2_000_000, "newer", "data-newer", Duration.ofSeconds(30)).block(TIMEOUT)).isTrue();
        // a former lock holder, slow, writes the token it fetched before
        assertThat(store.store(1_000_000, "older", "data-older", Duration.ofSeconds(30)).block(TIMEOUT)).isFalse();
        assertThat(store.store(2_000_000, "same-expiry", "data", Duration.ofSeconds(30)).block(TIMEOUT)).isFalse();
        assertThat(store.read().block(TIMEOUT).fingerprint()).isEqualTo("newer");
        assertThat(store.store(3_000_000, "newest", "data-newest", Duration.ofSeconds(30)).block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).fingerprint()).isEqualTo("newest");
    }

    @Test
    void aRejectionMarksExactlyThatTokenAndARejectedTokenIsReplacedByAnyOther() {
        store.store(2_000_000, "current", "data", Duration.ofSeconds(30)).block(TIMEOUT);
        assertThat(store.markRejected("an-older-one").block(TIMEOUT)).isFalse();
        assertThat(store.read().block(TIMEOUT).rejected()).isFalse();
        assertThat(store.markRejected("current").block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).rejected()).isTrue();
        assertThat(store.store(1_000_000, "replacement", "data", Duration.ofSeconds(30)).block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).rejected()).isFalse();
    }

    @Test
    void theEntryExpiresWithTheTokenAndTheLockIsReleasedOnlyByItsOwner() {
        store.store(2_000_000, "fp", "data", Duration.ofMillis(1500)).block(TIMEOUT);
        Long ttl = template.getExpire(store.tokenKey()).map(Duration::toMillis).block(TIMEOUT);
        assertThat(ttl).isBetween(1L, 1500L);

        assertThat(store.tryLock("a", Duration.ofSeconds(5)).block(TIMEOUT)).isTrue();
        assertThat(store.tryLock("b", Duration.ofSeconds(5)).block(TIMEOUT)).isFalse();
        assertThat(store.release("b").block(TIMEOUT)).isFalse();
        assertThat(store.release("a").block(TIMEOUT)).isTrue();
        assertThat(store.tryLock("b", Duration.ofSeconds(5)).block(TIMEOUT)).isTrue();
    }

    @Test
    void anEncryptedEntryHoldsNeitherTheTokenNorTheRefreshTokenAndAnotherKeyCannotReadIt() {
        SharedTokenCodec codec = new SharedTokenCodec("orders", key(1));
        AccessToken token = new AccessToken("access-token-value-123456", "Bearer", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T01:00:00Z"), "refresh-token-value-654321", Set.of("a", "b"), null);
        store.store(token.expiresAt().toEpochMilli(), codec.fingerprint(token.value()), codec.encode(token),
                Duration.ofSeconds(30)).block(TIMEOUT);

        String raw = template.<String, String>opsForHash().entries(store.tokenKey()).collectList().block(TIMEOUT).toString();
        assertThat(raw).doesNotContain("access-token-value", "refresh-token-value", "123456", "654321");
        SharedTokenStore.Stored stored = store.read().block(TIMEOUT);
        assertThat(codec.decode(stored.data())).isEqualTo(token);
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("orders", key(2)).decode(stored.data()))
            .withMessageContaining("cannot be decrypted")
            .withMessageNotContaining("access-token");
        // the client name is bound to the value: another client's entry is not accepted either
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("billing", key(1)).decode(stored.data()));
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("orders", null).decode(stored.data()));
    }

    static String key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A Lettuce connection factory to the test server, as Spring Boot would build it. */
    static final class SharedRedisSupport {

        static LettuceConnectionFactory connect(int port) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", port));
            factory.afterPropertiesSet();
            factory.start();
            return factory;
        }
    }
}
