package dev.tokenstarter.token.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.RefreshTiming;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenSource;
import dev.tokenstarter.token.shared.SharedTokenCodec.UnreadableTokenException;
import dev.tokenstarter.token.shared.SharedTokenStore.Stored;

/**
 * A client's token shared by every instance through Redis: {@link #share} puts it in front of the token
 * endpoint's {@link TokenSource}, so the {@link CachingTokenProvider} keeps deciding when a token is needed
 * and this decides where it comes from.
 * <ol>
 * <li>The stored token, if it is usable and not the one the provider wants replaced (another instance has
 * refreshed already);</li>
 * <li>else the refresh lock: the winner fetches from the endpoint (with the newest refresh token of the
 * fleet), stores the token fenced by its expiry, which publishes it, and releases the lock;</li>
 * <li>the others wait for the publication (re-reading every {@value #POLL_MILLIS} ms, and trying the lock
 * again once a dead holder's has expired), for at most half the wait timeout, then fetch on their own.</li>
 * </ol>
 * A fetch because an API rejected the stored token is limited for the fleet: the lock holder claims the
 * fleet's one such refetch per {@code rejectionRefetchInterval} in Redis; when another instance has made it
 * within the interval, the holder fetches nothing and hands the stored token (or its own) back to its
 * provider, whose callers then get the API's answer, as a single instance's do within its own limit.
 * Redis is never on the hot path: the provider asks only when its token enters the refresh window, at
 * startup, and after a 401; publications of other instances' tokens are offered to the provider as they
 * arrive. Any Redis failure or timeout makes this instance fetch its own tokens (one WARN, {@link #degraded()},
 * counted in {@link #fallbacks()}) until Redis answers again, tried at most once a second.
 */
public final class SharedTokens implements SharedTokenStatus, TokenListener, AutoCloseable {

    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    static final long POLL_MILLIS = 100;

    private static final Duration REJOIN_INTERVAL = Duration.ofSeconds(1);

    private static final Duration LOCK_MARGIN = Duration.ofSeconds(1);

    private final String client;

    private volatile TokenSource endpoint = (previous) -> Mono.error(new IllegalStateException("not shared yet"));

    private final SharedTokenStore store;

    private final SharedTokenCodec codec;

    private final RefreshTiming timing;

    private final Clock clock;

    private final Ticker ticker;

    private final Duration commandTimeout;

    private final Duration lockTtl;

    private final Duration rejectionRefetchInterval;

    private final String instance = UUID.randomUUID().toString();

    private final AtomicLong acquisitions = new AtomicLong();

    private final LongAdder reads = new LongAdder();

    private final LongAdder locksWon = new LongAdder();

    private final LongAdder locksLost = new LongAdder();

    private final LongAdder publications = new LongAdder();

    private final LongAdder fallbacks = new LongAdder();

    private final LongAdder rejectionRefetchesDenied = new LongAdder();

    /** Fingerprints of publications, for instances waiting for the lock holder's token. */
    private final Sinks.Many<String> published = Sinks.many().multicast().directBestEffort();

    /** Why Redis is not used right now, or {@code null}. */
    private volatile @Nullable Trouble trouble;

    /** The fingerprint of the last token this instance fetched from the endpoint. */
    private volatile @Nullable String fetchedHere;

    /** The fingerprint of the last token an API rejected here: the next fetch marks it rejected in Redis. */
    private volatile @Nullable String rejected;

    private volatile @Nullable CachingTokenProvider provider;

    private volatile @Nullable Disposable subscription;

    /**
     * @param client the client name (the associated data of encrypted tokens, and in messages)
     * @param connectionFactory the application's Redis
     * @param keyPrefix the prefix of this client's keys
     * @param encryptionKey a 256-bit AES key in base64, or {@code null} to store tokens in plain text
     * @param timing the provider's timing: what counts as usable, and the wait timeout
     * @param endpointTimeout connect plus read timeout of the token endpoint, which bounds the lock's ttl
     * @param commandTimeout how long one Redis command may take
     * @param rejectionRefetchInterval the shortest time between two token requests of the fleet caused by an
     * API rejecting the stored token; zero for no limit
     * @param clock the provider's clock
     * @param ticker the provider's monotonic source
     */
    public SharedTokens(String client, ReactiveRedisConnectionFactory connectionFactory,
            String keyPrefix, @Nullable String encryptionKey, RefreshTiming timing, Duration endpointTimeout,
            Duration commandTimeout, Duration rejectionRefetchInterval, Clock clock, Ticker ticker) {
        this.client = Objects.requireNonNull(client, "client");
        this.store = new SharedTokenStore(connectionFactory, keyPrefix);
        this.codec = new SharedTokenCodec(client, encryptionKey);
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        this.lockTtl = endpointTimeout.plus(LOCK_MARGIN);
        this.rejectionRefetchInterval = Objects.requireNonNull(rejectionRefetchInterval, "rejectionRefetchInterval");
        if (!codec.encrypts()) {
            logger.warn("Tokens of client '" + client + "' are stored in Redis in plain text (key prefix " + keyPrefix
                    + "); set shared.encryption-key to a 256-bit key in base64 to encrypt them");
        }
    }

    /**
     * Starts listening for other instances' tokens and offers them to {@code provider}; this source must be
     * the provider's.
     */
    public void attach(CachingTokenProvider provider) {
        this.provider = provider;
        provider.addListener(this);
        subscription = store.publications()
            .doOnSubscribe((ignored) -> logger.debug("Listening for shared tokens of client '" + client + "'"))
            .concatMap((fingerprint) -> {
                publications.increment();
                published.tryEmitNext(fingerprint);
                return adoptPublished(fingerprint);
            })
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)))
            .subscribe();
    }

    /** The refresh lock's time to live: the endpoint's connect and read timeouts plus a margin. */
    public Duration lockTtl() {
        return lockTtl;
    }

    /**
     * The token source a provider is given: tokens from the fleet, from {@code endpoint} when this instance
     * fetches them.
     */
    public TokenSource share(TokenSource endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this::fetch;
    }

    private Mono<AccessToken> fetch(@Nullable AccessToken previous) {
        return Mono.defer(() -> {
            Trouble current = trouble;
            if (current != null && ticker.nanoTime() - current.retryAtNanos < 0) {
                return fallback(previous);
            }
            long deadline = ticker.nanoTime() + timing.waitTimeout().toNanos() / 2;
            // A token replaced before it is due was dropped after a 401 (or invalidated): a refetch the fleet
            // limits. The rejection listener may not have run yet when a concurrent caller starts this fetch.
            boolean afterRejection = isRejectedHere(previous) || (previous != null && isNotDue(previous));
            return markRejected(previous).then(fromFleet(previous, deadline, false, afterRejection))
                .onErrorResume(RedisTrouble.class, (ex) -> {
                    degrade(ex);
                    return fallback(previous);
                });
        });
    }

    /** Whether the token to replace is the one an API rejected here last: the fetch is a refetch after a 401. */
    private boolean isRejectedHere(@Nullable AccessToken previous) {
        String fingerprint = rejected;
        return previous != null && fingerprint != null && fingerprint.equals(codec.fingerprint(previous.value()));
    }

    /** After a 401, the rejected token is marked in Redis first, so no instance adopts it again. */
    private Mono<Void> markRejected(@Nullable AccessToken previous) {
        if (!isRejectedHere(previous)) {
            return Mono.empty();
        }
        String fingerprint = codec.fingerprint(previous.value());
        rejected = null;
        return redis(store.markRejected(fingerprint)).then();
    }

    private Mono<AccessToken> fromFleet(@Nullable AccessToken previous, long deadline, boolean waiting,
            boolean afterRejection) {
        return read().map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((found) -> {
            Entry entry = found.orElse(null);
            if (entry != null && !entry.stored().rejected() && isUsable(entry.token())
                    && (previous == null || !entry.token().value().equals(previous.value()))) {
                return Mono.just(entry.token());
            }
            // the newest refresh token of the fleet is the one the endpoint still accepts
            AccessToken base = (entry != null && entry.token().hasRefreshToken()) ? entry.token() : previous;
            String owner = instance + ":" + acquisitions.incrementAndGet();
            return redis(store.tryLock(owner, lockTtl)).flatMap((won) -> {
                if (!won) {
                    return waitForFleet(previous, deadline, waiting, afterRejection);
                }
                AccessToken kept = afterRejection ? keptAfterRejection(entry, previous) : null;
                return (kept != null) ? fetchOrKeep(base, owner, kept) : fetchForFleet(base, owner);
            });
        });
    }

    /**
     * The token to keep when the fleet's refetch after a rejection was made within the interval: the stored
     * token, else the rejected one, if it is not due for refresh anyway; {@code null} to fetch.
     */
    private @Nullable AccessToken keptAfterRejection(@Nullable Entry entry, @Nullable AccessToken previous) {
        if (rejectionRefetchInterval.isZero()) {
            return null;
        }
        if (entry != null && isNotDue(entry.token())) {
            return entry.token();
        }
        return (previous != null && isNotDue(previous)) ? previous : null;
    }

    /** The lock is ours: fetch if the fleet's refetch after a rejection is free, else keep the token. */
    private Mono<AccessToken> fetchOrKeep(@Nullable AccessToken base, String owner, AccessToken kept) {
        return redis(store.tryRejectionRefetch(owner, rejectionRefetchInterval))
            .onErrorResume((ex) -> release(owner).then(Mono.error(ex)))
            .flatMap((allowed) -> {
                if (allowed) {
                    return fetchForFleet(base, owner);
                }
                rejectionRefetchesDenied.increment();
                if (logger.isDebugEnabled()) {
                    logger.debug("Another instance fetched a token of client '" + client + "' after a rejection less than "
                            + rejectionRefetchInterval.toMillis() + " ms ago; keeping the current one");
                }
                return release(owner).thenReturn(kept);
            });
    }

    private Mono<AccessToken> fetchForFleet(@Nullable AccessToken base, String owner) {
        locksWon.increment();
        return endpoint.fetch(base)
            .doOnNext((token) -> fetchedHere = codec.fingerprint(token.value()))
            .flatMap(this::storeAndPublish)
            .flatMap((token) -> release(owner).thenReturn(token))
            .onErrorResume((ex) -> release(owner).then(Mono.error(ex)));
    }

    /**
     * Stores the fetched token. Redis failing now costs nothing but sharing: the token is ours anyway. If a
     * later-expiring one is stored already, that is the fleet's and this one is handed out only if it cannot
     * be read.
     */
    private Mono<AccessToken> storeAndPublish(AccessToken token) {
        long ttl = token.expiresAt().toEpochMilli() - clock.millis();
        if (ttl <= 0) {
            return Mono.just(token);
        }
        return redis(store.store(token.expiresAt().toEpochMilli(), codec.fingerprint(token.value()), codec.encode(token),
                Duration.ofMillis(ttl)))
            .flatMap((stored) -> stored ? Mono.just(token) : read().map((newer) -> newerOrOwn(newer, token)).defaultIfEmpty(token))
            .onErrorResume(RedisTrouble.class, (ex) -> {
                degrade(ex);
                return Mono.just(token);
            });
    }

    private static AccessToken newerOrOwn(Entry newer, AccessToken own) {
        return (!newer.stored().rejected() && newer.token().expiresAt().isAfter(own.expiresAt())) ? newer.token() : own;
    }

    private Mono<Boolean> release(String owner) {
        return redis(store.release(owner)).onErrorResume(RedisTrouble.class, (ex) -> Mono.just(false));
    }

    private Mono<AccessToken> waitForFleet(@Nullable AccessToken previous, long deadline, boolean waiting,
            boolean afterRejection) {
        if (!waiting) {
            locksLost.increment();
        }
        long remaining = deadline - ticker.nanoTime();
        if (remaining <= 0) {
            logger.debug("Gave up waiting for another instance's token of client '" + client + "'; fetching here");
            return fallback(previous);
        }
        Duration wait = Duration.ofNanos(Math.min(remaining, Duration.ofMillis(POLL_MILLIS).toNanos()));
        return published.asFlux().next().timeout(wait, Mono.just(""))
            .then(Mono.defer(() -> fromFleet(previous, deadline, true, afterRejection)));
    }

    private Mono<AccessToken> fallback(@Nullable AccessToken previous) {
        fallbacks.increment();
        return endpoint.fetch(previous).doOnNext((token) -> fetchedHere = codec.fingerprint(token.value()));
    }

    /** A publication: the stored token is read and offered to the provider, which keeps the later one. */
    private Mono<Void> adoptPublished(String fingerprint) {
        CachingTokenProvider target = provider;
        if (target == null || trouble != null) {
            return Mono.empty();
        }
        return read().doOnNext((entry) -> {
            if (!entry.stored().rejected() && entry.stored().fingerprint().equals(fingerprint) && isUsable(entry.token())) {
                target.offer(entry.token());
            }
        }).then().onErrorResume((ex) -> {
            if (ex instanceof RedisTrouble trouble) {
                degrade(trouble);
            }
            return Mono.empty();
        });
    }

    /** The stored token; an unreadable one (wrong key) is Redis trouble too: this instance goes its own way. */
    private Mono<Entry> read() {
        return redis(store.read().map((stored) -> new Entry(stored, codec.decode(stored.data()))))
            .doOnSubscribe((ignored) -> reads.increment());
    }

    private boolean isUsable(AccessToken token) {
        return clock.millis() < timing.usableUntil(token).toEpochMilli();
    }

    private boolean isNotDue(AccessToken token) {
        return clock.millis() < timing.refreshAt(token).toEpochMilli();
    }

    /** A Redis command with the command timeout; any failure becomes {@link RedisTrouble}, success rejoins. */
    private <T> Mono<T> redis(Mono<T> command) {
        return command.timeout(commandTimeout)
            .onErrorMap((ex) -> !(ex instanceof RedisTrouble), RedisTrouble::new)
            .doOnSuccess((ignored) -> rejoin());
    }

    private void degrade(RedisTrouble ex) {
        Trouble before = trouble;
        trouble = new Trouble(ex.getMessage(), ticker.nanoTime() + REJOIN_INTERVAL.toNanos());
        if (before == null) {
            logger.warn("Sharing the token of client '" + client + "' through Redis failed (" + ex.getMessage()
                    + "); this instance fetches its own tokens until Redis answers again");
        }
    }

    private void rejoin() {
        if (trouble != null) {
            trouble = null;
            logger.info("Redis answers again: the token of client '" + client + "' is shared again");
        }
    }

    @Override
    public void onTokenRejected(AccessToken token, int status) {
        rejected = codec.fingerprint(token.value());
    }

    @Override
    public boolean degraded() {
        return trouble != null;
    }

    @Override
    public @Nullable String degradedReason() {
        Trouble current = trouble;
        return (current != null) ? current.reason : null;
    }

    @Override
    public boolean fetchedHere(String tokenValue) {
        return codec.fingerprint(tokenValue).equals(fetchedHere);
    }

    @Override
    public long reads() {
        return reads.sum();
    }

    @Override
    public long locksWon() {
        return locksWon.sum();
    }

    @Override
    public long locksLost() {
        return locksLost.sum();
    }

    @Override
    public long publicationsReceived() {
        return publications.sum();
    }

    @Override
    public long fallbacks() {
        return fallbacks.sum();
    }

    @Override
    public long rejectionRefetchesDenied() {
        return rejectionRefetchesDenied.sum();
    }

    /** Stops listening; a lock this instance holds expires with its ttl. */
    @Override
    public void close() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
        CachingTokenProvider target = provider;
        if (target != null) {
            target.removeListener(this);
        }
    }

    @Override
    public String toString() {
        return "SharedTokens[client=" + client + ", degraded=" + degraded() + "]";
    }

    /** Redis failed, timed out, or holds a token this instance cannot read; the message is secret-free. */
    static final class RedisTrouble extends RuntimeException {

        RedisTrouble(Throwable cause) {
            super(describe(cause), cause, false, false);
        }

        private static String describe(Throwable cause) {
            if (cause instanceof TimeoutException) {
                return "no answer within the command timeout";
            }
            if (cause instanceof UnreadableTokenException) {
                return cause.getMessage();
            }
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return cause.getClass().getSimpleName() + ": " + root.getMessage();
        }
    }

    private record Trouble(@Nullable String reason, long retryAtNanos) {
    }

    /** A stored token, read and decoded. */
    private record Entry(Stored stored, AccessToken token) {
    }
}
