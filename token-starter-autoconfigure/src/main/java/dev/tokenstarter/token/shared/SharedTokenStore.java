package dev.tokenstarter.token.shared;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A client's shared token in Redis, through the reactive API only (nothing here blocks a thread). Four
 * keys under the prefix:
 * <ul>
 * <li>{@code <prefix>:token}: a hash of {@code exp} (expiry, epoch millis), {@code fp} (fingerprint),
 * {@code data} (the token, encrypted when a key is set), {@code rejected} ({@code 1} once an API rejected
 * it); it expires with the token;</li>
 * <li>{@code <prefix>:lock}: the refresh lock, {@code SET NX PX} with an owner value unique to each
 * acquisition, released only by its owner (compare and delete);</li>
 * <li>{@code <prefix>:rejection-refetch}: set ({@code SET NX PX}) for the refetch interval by the instance
 * that fetches because an API rejected the stored token, so the fleet makes one such request per interval;</li>
 * <li>{@code <prefix>:published}: the channel on which a stored token's fingerprint is published.</li>
 * </ul>
 * Writes of the token are fenced in one script: a stored token is replaced only by one that expires later
 * (or when it was rejected), so a slow former lock holder never overwrites a newer token.
 */
final class SharedTokenStore {

    /** KEYS: token, channel. ARGV: exp, fp, data, ttl millis. Returns 1 if stored (and published), else 0. */
    static final RedisScript<Long> STORE = RedisScript.of("""
            local stored = redis.call('HMGET', KEYS[1], 'exp', 'fp', 'rejected')
            if stored[2] == ARGV[2] then
              return 0
            end
            if stored[1] and stored[3] ~= '1' and tonumber(stored[1]) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'exp', ARGV[1], 'fp', ARGV[2], 'data', ARGV[3], 'rejected', '0')
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', KEYS[2], ARGV[2])
            return 1
            """, Long.class);

    /** KEYS: token. ARGV: fp. Marks exactly that token rejected; returns 1 if it was the stored one. */
    static final RedisScript<Long> REJECT = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
              redis.call('HSET', KEYS[1], 'rejected', '1')
              return 1
            end
            return 0
            """, Long.class);

    /** KEYS: lock. ARGV: owner. Deletes the lock only if this owner still holds it. */
    static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;

    private final String tokenKey;

    private final String lockKey;

    private final String rejectionRefetchKey;

    private final String channel;

    SharedTokenStore(ReactiveRedisConnectionFactory connectionFactory, String prefix) {
        this.redis = new ReactiveStringRedisTemplate(connectionFactory);
        this.tokenKey = prefix + ":token";
        this.lockKey = prefix + ":lock";
        this.rejectionRefetchKey = prefix + ":rejection-refetch";
        this.channel = prefix + ":published";
    }

    /** The stored token, or empty. */
    Mono<Stored> read() {
        return redis.<String, String>opsForHash()
            .entries(tokenKey)
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .flatMap((fields) -> Mono.justOrEmpty(Stored.of(fields)));
    }

    /** Stores a token unless a later-expiring one is stored; publishes it if stored. */
    Mono<Boolean> store(long expiresAtMillis, String fingerprint, String data, Duration ttl) {
        return redis.execute(STORE, List.of(tokenKey, channel), List.of(String.valueOf(expiresAtMillis), fingerprint,
                data, String.valueOf(Math.max(1, ttl.toMillis()))))
            .next()
            .map((result) -> result == 1L);
    }

    /** Marks the stored token rejected if it is the one with {@code fingerprint}. */
    Mono<Boolean> markRejected(String fingerprint) {
        return redis.execute(REJECT, List.of(tokenKey), List.of(fingerprint)).next().map((result) -> result == 1L);
    }

    /** Takes the refresh lock for {@code ttl} if nobody holds it. */
    Mono<Boolean> tryLock(String owner, Duration ttl) {
        return redis.opsForValue().setIfAbsent(lockKey, owner, ttl).defaultIfEmpty(false);
    }

    /**
     * Claims the fleet's one refetch after a rejected token for {@code interval}, unless an instance has
     * claimed it within the interval.
     */
    Mono<Boolean> tryRejectionRefetch(String owner, Duration interval) {
        return redis.opsForValue().setIfAbsent(rejectionRefetchKey, owner, interval).defaultIfEmpty(false);
    }

    /** Releases the refresh lock if {@code owner} still holds it. */
    Mono<Boolean> release(String owner) {
        return redis.execute(RELEASE, List.of(lockKey), List.of(owner)).next().map((result) -> result == 1L);
    }

    /** Fingerprints of tokens other instances store, as they are published; errors when the connection does. */
    Flux<String> publications() {
        // deferred: subscribing connects, and Redis being down at startup must not fail the application
        return Flux.defer(() -> redis.listenToChannel(channel)).map((message) -> message.getMessage());
    }

    String tokenKey() {
        return tokenKey;
    }

    String lockKey() {
        return lockKey;
    }

    /**
     * The stored hash.
     *
     * @param expiresAt expiry in epoch millis
     * @param fingerprint the token's fingerprint
     * @param data the encoded token
     * @param rejected whether an API rejected it
     */
    record Stored(long expiresAt, String fingerprint, String data, boolean rejected) {

        static @Nullable Stored of(Map<String, String> fields) {
            String exp = fields.get("exp");
            String fp = fields.get("fp");
            String data = fields.get("data");
            if (exp == null || fp == null || data == null) {
                return null;
            }
            try {
                return new Stored(Long.parseLong(exp), fp, data, "1".equals(fields.get("rejected")));
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
    }
}
