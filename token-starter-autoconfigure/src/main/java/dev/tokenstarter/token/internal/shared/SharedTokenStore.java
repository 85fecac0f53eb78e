package dev.tokenstarter.token.internal.shared;

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
 * names under the prefix, which carries a Redis Cluster hash tag ({@link #slotted}), so that on a cluster
 * every key of one client hashes to one slot, on one node:
 * <ul>
 * <li>{@code <prefix>:entry}: a hash of {@code id} (the digest of the client identity the token belongs to),
 * {@code fp} (fingerprint), {@code data} (the token, encrypted when a key is set), {@code life} (its lifetime
 * in millis) and {@code rejected} ({@code 1} once an API rejected it). It expires with the token: its
 * {@code PTTL} is the token's remaining lifetime, which every reader adds to its own clock, so no instance's
 * wall clock is ever compared with another's;</li>
 * <li>{@code <prefix>:lease}: the refresh lease, {@code SET NX PX} with an owner value unique to each
 * acquisition, renewed and released only by its owner (compare and set, compare and delete);</li>
 * <li>{@code <prefix>:rejection-refetch}: set ({@code SET NX PX}) for the refetch interval by the instance
 * that fetches because an API rejected the stored token, so the fleet makes one such request per interval;
 * deleted when an API accepts a token again;</li>
 * <li>{@code <prefix>:published}: the channel on which a stored token's fingerprint is published.</li>
 * </ul>
 * Writes of the entry are fenced in one script: a stored token is replaced only by one with a longer
 * remaining lifetime (or when it was rejected), so a slow former lease holder never overwrites a newer token.
 * The channel is an argument of that script, never a key: {@code PUBLISH} reaches every node of a cluster.
 * Every script reads and writes its one key only.
 */
final class SharedTokenStore {

    /**
     * KEYS: entry. ARGV: id, fp, data, ttl millis, lifetime millis, channel. Returns 1 if stored (and
     * published), else 0.
     */
    static final RedisScript<Long> STORE = RedisScript.of("""
            local stored = redis.call('HMGET', KEYS[1], 'fp', 'rejected')
            if stored[1] == ARGV[2] then
              return 0
            end
            if stored[1] and stored[2] ~= '1' and redis.call('PTTL', KEYS[1]) >= tonumber(ARGV[4]) then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'id', ARGV[1], 'fp', ARGV[2], 'data', ARGV[3], 'life', ARGV[5], 'rejected', '0')
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', ARGV[6], ARGV[2])
            return 1
            """, Long.class);

    /** KEYS: entry. ARGV: fp. Marks exactly that token rejected; returns 1 if it was the stored one. */
    static final RedisScript<Long> REJECT = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
              redis.call('HSET', KEYS[1], 'rejected', '1')
              return 1
            end
            return 0
            """, Long.class);

    /**
     * KEYS: the key to claim. ARGV: owner, ttl millis. Returns 0 if claimed, else how many millis the current
     * claim has left (at least 1).
     */
    static final RedisScript<Long> CLAIM = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return 0
            end
            local left = redis.call('PTTL', KEYS[1])
            if left < 1 then
              return 1
            end
            return left
            """, Long.class);

    /** KEYS: lease. ARGV: owner, ttl millis. Extends the lease only if this owner still holds it. */
    static final RedisScript<Long> RENEW = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """, Long.class);

    /** KEYS: lease. ARGV: owner. Deletes the lease only if this owner still holds it. */
    static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;

    private final String entryKey;

    private final String leaseKey;

    private final String rejectionRefetchKey;

    private final String channel;

    SharedTokenStore(ReactiveRedisConnectionFactory connectionFactory, String prefix) {
        String slotted = slotted(prefix);
        this.redis = new ReactiveStringRedisTemplate(connectionFactory);
        this.entryKey = slotted + ":entry";
        this.leaseKey = slotted + ":lease";
        this.rejectionRefetchKey = slotted + ":rejection-refetch";
        this.channel = slotted + ":published";
    }

    /**
     * What the keys start with: {@code prefix} itself when it has a Redis Cluster hash tag (a {@code {…}}
     * that is not empty, as the cluster reads it: from the first {@code {} to the next {@code }}), else
     * {@code {prefix}}. Either way the tag lies inside what every key starts with, so all of them hash to the
     * same slot.
     * @throws IllegalArgumentException if no tag can be made: a prefix that starts with {@code }}
     */
    static String slotted(String prefix) {
        String slotted = (hashTag(prefix) != null) ? prefix : "{" + prefix + "}";
        if (hashTag(slotted) == null) {
            throw new IllegalArgumentException("the key prefix '" + prefix + "' starts with '}', which leaves its Redis "
                    + "Cluster hash tag empty");
        }
        return slotted;
    }

    /** The part of {@code key} a Redis Cluster hashes, if it has a hash tag; else {@code null} (the whole key). */
    static @Nullable String hashTag(String key) {
        int open = key.indexOf('{');
        int close = (open < 0) ? -1 : key.indexOf('}', open + 1);
        return (close > open + 1) ? key.substring(open + 1, close) : null;
    }

    /**
     * The stored entry with its remaining lifetime, or empty. Two read commands, the second sent once the
     * first has answered (whatever connection each goes over): {@code PTTL} first, so that an entry replaced
     * in between is read with the older, shorter remaining lifetime, never a longer one. Read commands, not a
     * script: they go on while Redis holds writes back (a failover, {@code CLIENT PAUSE WRITE}).
     */
    Mono<Stored> read() {
        return redis.getExpire(entryKey)
            .filter((remaining) -> remaining.toMillis() > 0)
            .flatMap((remaining) -> redis.<String, String>opsForHash()
                .entries(entryKey)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap((fields) -> Mono.justOrEmpty(Stored.of(remaining, fields))));
    }

    /**
     * Stores a token unless one with a longer remaining lifetime is stored; publishes it if stored.
     * @param identity the digest of the client identity the token belongs to
     * @param fingerprint the token's fingerprint
     * @param data the encoded token
     * @param ttl its remaining lifetime
     * @param lifetime its whole lifetime
     */
    Mono<Boolean> store(String identity, String fingerprint, String data, Duration ttl, Duration lifetime) {
        return redis.execute(STORE, List.of(entryKey), List.of(identity, fingerprint, data,
                String.valueOf(Math.max(1, ttl.toMillis())), String.valueOf(Math.max(0, lifetime.toMillis())), channel))
            .next()
            .map((result) -> result == 1L);
    }

    /** Marks the stored token rejected if it is the one with {@code fingerprint}. */
    Mono<Boolean> markRejected(String fingerprint) {
        return redis.execute(REJECT, List.of(entryKey), List.of(fingerprint)).next().map((result) -> result == 1L);
    }

    /** Takes the refresh lease for {@code ttl} if nobody holds it: 0, else the millis the holder's lease has left. */
    Mono<Long> tryLease(String owner, Duration ttl) {
        return claim(leaseKey, owner, ttl);
    }

    /** Extends the lease to {@code ttl} from now, if {@code owner} still holds it. */
    Mono<Boolean> renewLease(String owner, Duration ttl) {
        return redis.execute(RENEW, List.of(leaseKey), List.of(owner, String.valueOf(Math.max(1, ttl.toMillis()))))
            .next()
            .map((result) -> result == 1L);
    }

    /** Releases the refresh lease if {@code owner} still holds it. */
    Mono<Boolean> releaseLease(String owner) {
        return redis.execute(RELEASE, List.of(leaseKey), List.of(owner)).next().map((result) -> result == 1L);
    }

    /**
     * Claims the fleet's one refetch after a rejected token for {@code interval}: 0, else the millis left
     * until an instance may claim it again.
     */
    Mono<Long> tryRejectionRefetch(String owner, Duration interval) {
        return claim(rejectionRefetchKey, owner, interval);
    }

    /** Frees the fleet's refetch after a rejection: an API accepted a token again. */
    Mono<Boolean> clearRejectionRefetch() {
        return redis.delete(rejectionRefetchKey).map((deleted) -> deleted > 0);
    }

    private Mono<Long> claim(String key, String owner, Duration ttl) {
        return redis.execute(CLAIM, List.of(key), List.of(owner, String.valueOf(Math.max(1, ttl.toMillis())))).next();
    }

    /** Fingerprints of tokens other instances store, as they are published; errors when the connection does. */
    Flux<String> publications() {
        // deferred: subscribing connects, and Redis being down at startup must not fail the application
        return Flux.defer(() -> redis.listenToChannel(channel)).map((message) -> message.getMessage());
    }

    String entryKey() {
        return entryKey;
    }

    String leaseKey() {
        return leaseKey;
    }

    String rejectionRefetchKey() {
        return rejectionRefetchKey;
    }

    String channel() {
        return channel;
    }

    /**
     * The stored entry.
     *
     * @param remaining the entry's remaining lifetime as Redis measures it ({@code PTTL})
     * @param rejected whether an API rejected it
     * @param identity the digest of the client identity it belongs to
     * @param fingerprint the token's fingerprint
     * @param lifetime the token's whole lifetime
     * @param data the encoded token
     */
    record Stored(Duration remaining, boolean rejected, String identity, String fingerprint, Duration lifetime,
            String data) {

        /** Without the data, which holds the token (in plain text without an encryption key). */
        @Override
        public String toString() {
            return "Stored[remaining=" + remaining + ", rejected=" + rejected + ", identity=" + identity + ", fingerprint="
                    + fingerprint + ", lifetime=" + lifetime + "]";
        }

        static @Nullable Stored of(Duration remaining, Map<String, String> fields) {
            String id = fields.get("id");
            String fp = fields.get("fp");
            String life = fields.get("life");
            String data = fields.get("data");
            if (remaining.isNegative() || remaining.isZero() || id == null || fp == null || life == null || data == null) {
                return null;
            }
            try {
                return new Stored(remaining, "1".equals(fields.get("rejected")), id, fp, Duration.ofMillis(Long.parseLong(life)),
                        data);
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
    }
}
