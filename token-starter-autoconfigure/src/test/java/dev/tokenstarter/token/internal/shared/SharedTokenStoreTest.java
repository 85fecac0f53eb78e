package dev.tokenstarter.token.internal.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.support.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis side of shared tokens against a real {@code redis-server}: writes fenced by remaining lifetime,
 * the rejection mark, the lease and the fleet's refetch claim, the TTL and what an encrypted entry holds.
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

    private static final Duration LIFETIME = Duration.ofSeconds(60);

    @Test
    void anOlderTokenWrittenLateDoesNotReplaceANewerOne() {
        assertThat(store.store("id", "newer", "data-newer", Duration.ofSeconds(30), LIFETIME).block(TIMEOUT)).isTrue();
        // a former lease holder, slow, writes the token it fetched before: less of its lifetime is left
        assertThat(store.store("id", "older", "data-older", Duration.ofSeconds(20), LIFETIME).block(TIMEOUT)).isFalse();
        assertThat(store.store("id", "same-remaining", "data", Duration.ofMillis(29_000), LIFETIME).block(TIMEOUT)).isFalse();
        assertThat(store.read().block(TIMEOUT).fingerprint()).isEqualTo("newer");
        assertThat(store.store("id", "newest", "data-newest", Duration.ofSeconds(40), LIFETIME).block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).fingerprint()).isEqualTo("newest");
    }

    /**
     * Another instance stores its token while this one reads the entry: the token read comes with its own
     * remaining lifetime. Read as two commands, the new token came with the old one's shorter lifetime, so the
     * instance judged a token just fetched by another to be due, and fetched again (the double fetches of the
     * latest-token-only soak).
     */
    @Test
    void anEntryReplacedWhileItIsReadIsReadWithItsOwnRemainingLifetime() {
        String prefix = "replaced-while-read:" + System.nanoTime();
        SharedTokenStore writer = new SharedTokenStore(connectionFactory, prefix);
        assertThat(writer.store("id", "first", "data-first", Duration.ofSeconds(6), LIFETIME).block(TIMEOUT)).isTrue();
        ReplacedWhileRead replacing = new ReplacedWhileRead(
                writer.store("id", "second", "data-second", Duration.ofSeconds(50), LIFETIME));
        SharedTokenStore reader = new SharedTokenStore(replacing.wrap(connectionFactory), prefix);

        SharedTokenStore.Stored stored = reader.read().block(TIMEOUT);

        assertThat(replacing.replaced()).as("the entry was replaced while it was read").isTrue();
        assertThat(stored).isNotNull();
        if (stored.fingerprint().equals("second")) {
            assertThat(stored.remaining()).as("the second token's remaining lifetime").isGreaterThan(Duration.ofSeconds(40));
        }
        else {
            assertThat(stored.fingerprint()).isEqualTo("first");
            assertThat(stored.remaining()).as("the first token's remaining lifetime").isLessThanOrEqualTo(Duration.ofSeconds(6));
        }
        assertThat(writer.read().block(TIMEOUT).fingerprint()).isEqualTo("second");
    }

    /**
     * A server that cannot compile the read script (Redis before 7.0 cannot compile its read-only flag; here a
     * script that no server compiles stands for it): the entry is read with the script without the flag.
     */
    @Test
    void aServerThatCannotCompileTheFlaggedReadScriptIsReadWithoutTheFlag() {
        String prefix = "unflagged-read:" + System.nanoTime();
        new SharedTokenStore(connectionFactory, prefix).store("id", "fp", "data", Duration.ofSeconds(30), LIFETIME)
            .block(TIMEOUT);
        @SuppressWarnings("unchecked")
        Class<List<Object>> multi = (Class<List<Object>>) (Class<?>) List.class;
        SharedTokenStore older = new SharedTokenStore(connectionFactory, prefix,
                RedisScript.of("#!lua flags=no-writes\nreturn {,}", multi));

        SharedTokenStore.Stored stored = older.read().block(TIMEOUT);

        assertThat(stored).isNotNull();
        assertThat(stored.fingerprint()).isEqualTo("fp");
        assertThat(stored.remaining()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        assertThat(older.read().block(TIMEOUT).fingerprint()).as("read again, without the flag").isEqualTo("fp");
    }

    /**
     * While Redis holds writes back (a failover, {@code CLIENT PAUSE WRITE}), the entry is still read: the read
     * script is flagged read-only, which Redis honours once it has the script in its cache.
     */
    @Test
    void theEntryIsReadWhileRedisHoldsWritesBack() {
        store.store("id", "fp", "data", Duration.ofSeconds(30), LIFETIME).block(TIMEOUT);
        assertThat(store.read().block(TIMEOUT)).as("read once: the script is in Redis' cache").isNotNull();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(3000).add("WRITE"));
            try {
                SharedTokenStore.Stored stored = store.read().block(Duration.ofSeconds(1));

                assertThat(stored).isNotNull();
                assertThat(stored.fingerprint()).isEqualTo("fp");
            }
            finally {
                connection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
            }
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void aReadCarriesTheRemainingLifetimeAsRedisMeasuresItNotAnInstantOfAnyInstance() {
        store.store("client-digest", "fp", "da\nta with | and \n", Duration.ofMillis(1500), Duration.ofSeconds(2))
            .block(TIMEOUT);
        SharedTokenStore.Stored stored = store.read().block(TIMEOUT);
        assertThat(stored.remaining()).isBetween(Duration.ofMillis(1), Duration.ofMillis(1500));
        assertThat(stored.lifetime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(stored.identity()).isEqualTo("client-digest");
        assertThat(stored.data()).isEqualTo("da\nta with | and \n");
        assertThat(stored.toString()).as("the data holds the token").doesNotContain("da\nta").contains("client-digest");
        Long ttl = template.getExpire(store.entryKey()).map(Duration::toMillis).block(TIMEOUT);
        assertThat(ttl).isBetween(1L, 1500L);
    }

    @Test
    void aRejectionMarksExactlyThatTokenAndARejectedTokenIsReplacedByAnyOther() {
        store.store("id", "current", "data", Duration.ofSeconds(30), LIFETIME).block(TIMEOUT);
        assertThat(store.markRejected("an-older-one").block(TIMEOUT)).isFalse();
        assertThat(store.read().block(TIMEOUT).rejected()).isFalse();
        assertThat(store.markRejected("current").block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).rejected()).isTrue();
        assertThat(store.store("id", "replacement", "data", Duration.ofSeconds(10), LIFETIME).block(TIMEOUT)).isTrue();
        assertThat(store.read().block(TIMEOUT).rejected()).isFalse();
    }

    @Test
    void theLeaseIsRenewedAndReleasedOnlyByItsOwnerAndATakenOneSaysHowLongItHasLeft() {
        assertThat(store.tryLease("a", Duration.ofSeconds(5)).block(TIMEOUT)).isZero();
        assertThat(store.tryLease("b", Duration.ofSeconds(5)).block(TIMEOUT)).isBetween(1L, 5000L);
        assertThat(store.renewLease("b", Duration.ofSeconds(9)).block(TIMEOUT)).isFalse();
        assertThat(store.renewLease("a", Duration.ofSeconds(9)).block(TIMEOUT)).isTrue();
        assertThat(template.getExpire(store.leaseKey()).map(Duration::toMillis).block(TIMEOUT)).isGreaterThan(5000L);
        assertThat(store.releaseLease("b").block(TIMEOUT)).isFalse();
        assertThat(store.releaseLease("a").block(TIMEOUT)).isTrue();
        assertThat(store.tryLease("b", Duration.ofSeconds(5)).block(TIMEOUT)).isZero();
    }

    @Test
    void theFleetsRefetchAfterARejectionIsClaimedOnceUntilItRunsOutOrIsCleared() {
        assertThat(store.tryRejectionRefetch("a", Duration.ofSeconds(10)).block(TIMEOUT)).isZero();
        assertThat(store.tryRejectionRefetch("b", Duration.ofSeconds(10)).block(TIMEOUT)).isBetween(1L, 10_000L);
        assertThat(store.clearRejectionRefetch().block(TIMEOUT)).isTrue();
        assertThat(store.tryRejectionRefetch("b", Duration.ofSeconds(10)).block(TIMEOUT)).isZero();
    }

    @Test
    void anEncryptedEntryHoldsNeitherTheTokenNorTheRefreshTokenAndAnotherKeyCannotReadIt() {
        SharedTokenCodec codec = new SharedTokenCodec("orders", key(1));
        Instant expiresAt = Instant.parse("2026-01-01T01:00:00Z");
        AccessToken token = new AccessToken("access-token-value-123456", "Bearer", Instant.parse("2026-01-01T00:00:00Z"),
                expiresAt, "refresh-token-value-654321", Set.of("a", "b"), Instant.parse("2026-01-01T00:50:00Z"));
        store.store("id", codec.fingerprint(token.value()), codec.encode(token), Duration.ofSeconds(30), token.lifetime())
            .block(TIMEOUT);

        String raw = template.<String, String>opsForHash().entries(store.entryKey()).collectList().block(TIMEOUT).toString();
        assertThat(raw).doesNotContain("access-token-value", "refresh-token-value", "123456", "654321");
        SharedTokenStore.Stored stored = store.read().block(TIMEOUT);
        assertThat(codec.decode(stored.data(), expiresAt, stored.lifetime())).isEqualTo(token);
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("orders", key(2)).decode(stored.data(), expiresAt, stored.lifetime()))
            .withMessageContaining("cannot be decrypted")
            .withMessageNotContaining("access-token");
        // the client name is bound to the value: another client's entry is not accepted either
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("billing", key(1)).decode(stored.data(), expiresAt, stored.lifetime()));
        assertThatExceptionOfType(SharedTokenCodec.UnreadableTokenException.class)
            .isThrownBy(() -> new SharedTokenCodec("orders", null).decode(stored.data(), expiresAt, stored.lifetime()));
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
