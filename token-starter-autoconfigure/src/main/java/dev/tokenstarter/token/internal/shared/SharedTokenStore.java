package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

    /**
     * KEYS: entry. Returns the entry's remaining lifetime in millis, then its fields and values; nothing when
     * there is no entry.
     */
    private static final String READ_BODY = """
            local remaining = redis.call('PTTL', KEYS[1])
            if remaining <= 0 then
              return {}
            end
            local entry = redis.call('HGETALL', KEYS[1])
            table.insert(entry, 1, tostring(remaining))
            return entry
            """;

    /** {@link #READ_BODY}, flagged read-only (Redis 7.0 and later). */
    static final RedisScript<List<Object>> READ = RedisScript.of("#!lua flags=no-writes\n" + READ_BODY, multi());

    /** {@link #READ_BODY} for a server that cannot compile the flag. */
    static final RedisScript<List<Object>> READ_UNFLAGGED = RedisScript.of(READ_BODY, multi());

    private static final Log logger = LogFactory.getLog(SharedTokenStore.class);

    private final ReactiveStringRedisTemplate redis;

    /** {@link #READ}, until a server could not compile it. */
    private final AtomicReference<RedisScript<List<Object>>> readScript;

    private final String entryKey;

    private final String leaseKey;

    private final String rejectionRefetchKey;

    private final String channel;

    SharedTokenStore(ReactiveRedisConnectionFactory connectionFactory, String prefix) {
        this(connectionFactory, prefix, READ);
    }

    /** With another script for reads than {@link #READ}: a test's, one the server cannot compile. */
    SharedTokenStore(ReactiveRedisConnectionFactory connectionFactory, String prefix, RedisScript<List<Object>> readScript) {
        this.readScript = new AtomicReference<>(readScript);
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
     * The stored entry with its remaining lifetime, or empty: both read in one script, so at one instant. Read
     * with two commands, an entry another instance replaced in between came with the old token's shorter
     * remaining lifetime, and a token just fetched by another instance was judged due and fetched again.
     * <p>
     * The script is flagged read-only ({@code no-writes}): it goes on while Redis holds writes back (a failover,
     * {@code CLIENT PAUSE WRITE}), as read commands do. Redis before 7.0 cannot compile the flag: there the
     * script runs without it, from the first such answer on.
     */
    Mono<Stored> read() {
        return Mono.defer(() -> {
            RedisScript<List<Object>> script = readScript.get();
            return redis.execute(script, List.of(entryKey))
                .collectList()
                .flatMap((answer) -> Mono.justOrEmpty(Stored.of(answer)))
                .onErrorResume((ex) -> script != READ_UNFLAGGED && cannotCompile(ex), (ex) -> {
                    if (readScript.compareAndSet(script, READ_UNFLAGGED)) {
                        logger.info("Redis cannot run a script flagged read-only (a server before 7.0): shared tokens "
                                + "are read with a script without the flag, which waits while Redis holds writes back");
                    }
                    return read();
                });
        });
    }

    /** Whether {@code error} is Redis failing to compile a script: the flag, on a server before 7.0. */
    private static boolean cannotCompile(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("Error compiling script")) {
                return true;
            }
        }
        return false;
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

    @SuppressWarnings("unchecked")
    private static Class<List<Object>> multi() {
        return (Class<List<Object>>) (Class<?>) List.class;
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

        /**
         * The entry as the read script answers it: the remaining lifetime, then fields and values (as one
         * list, or as the list's items), or {@code null} for no entry or one that is not whole.
         */
        static @Nullable Stored of(List<?> answer) {
            List<?> items = (answer.size() == 1 && answer.get(0) instanceof List<?> list) ? list : answer;
            if (items.size() < 3 || items.size() % 2 == 0) {
                return null;
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i + 1 < items.size(); i += 2) {
                fields.put(String.valueOf(items.get(i)), String.valueOf(items.get(i + 1)));
            }
            try {
                return of(Duration.ofMillis(Long.parseLong(String.valueOf(items.get(0)))), fields);
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }

        private static @Nullable Stored of(Duration remaining, Map<String, String> fields) {
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
