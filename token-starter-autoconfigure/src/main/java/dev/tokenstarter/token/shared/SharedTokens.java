package dev.tokenstarter.token.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.TokenOffers;
import dev.tokenstarter.token.FetchReason;
import dev.tokenstarter.token.RefreshTiming;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenSource;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.shared.SharedTokenCodec.UnreadableTokenException;
import dev.tokenstarter.token.shared.SharedTokenStore.Stored;

/**
 * A client's token shared by every instance through Redis: {@link #share} puts it in front of the token
 * endpoint's {@link TokenSource}, so the {@link CachingTokenProvider} keeps deciding when and why a token is
 * needed ({@link FetchReason}) and this decides where it comes from.
 * <ol>
 * <li>The stored entry, if it belongs to this client's identity, is usable, was not rejected and is not the
 * token to replace (another instance has refreshed already);</li>
 * <li>else the refresh lease: the winner fetches from the endpoint (with the newest refresh token of the
 * fleet), stores the token fenced by its remaining lifetime, which publishes it, and releases the lease. It
 * renews the lease while its fetch runs, however many requests that takes, so no other instance redeems the
 * same refresh token;</li>
 * <li>the others wait for the publication (no polling: they read again when it arrives, or when the
 * holder's lease would have run out), for at most half the wait timeout, then fetch on their own with the
 * base grant, never with the fleet's refresh token.</li>
 * </ol>
 * Only a fetch because the token was {@linkplain FetchReason#REJECTED rejected} is limited for the fleet: it
 * marks that token rejected in Redis and the lease holder claims the fleet's one such refetch per
 * {@code rejectionRefetchInterval}. An instance denied it waits for the publication of the replacement or
 * for the claim to run out (a token it knows is rejected is never handed back: on an API that rejects every
 * token its callers wait up to the interval, bounded by half the wait timeout, instead of getting the 401 at
 * once); an API accepting a token again frees it. Stored expiry is
 * a remaining lifetime ({@code PTTL}): each reader adds it to its own clock. Redis is never on the hot path:
 * the provider asks only when its token enters the refresh window, at startup, and after a 401; publications
 * are offered to the provider as they arrive. Any Redis failure or timeout makes this instance fetch its own
 * tokens (one WARN, {@link #degraded()}, counted in {@link #fallbacks()}) until Redis answers again, tried at
 * most once a second.
 */
public final class SharedTokens implements SharedTokenStatus, TokenListener, AutoCloseable {

    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private static final Duration REJOIN_INTERVAL = Duration.ofSeconds(1);

    /** The lease's longest time to live; its owner renews it every third of that while fetching. */
    static final Duration MAX_LEASE = Duration.ofSeconds(5);

    /** Added to a wait for a lease or claim to run out, so that the next try finds it gone. */
    private static final Duration EXPIRY_SLACK = Duration.ofMillis(20);

    private final String client;

    private volatile TokenSource endpoint = (previous) -> Mono.error(new IllegalStateException("not shared yet"));

    private final SharedTokenStore store;

    private final SharedTokenCodec codec;

    private final String identity;

    private final boolean refreshTokenGrant;

    private final RefreshTiming timing;

    private final Clock clock;

    private final Ticker ticker;

    private final Duration commandTimeout;

    private final Duration waitBound;

    private final Duration leaseTtl;

    private final Duration rejectionRefetchInterval;

    /** Where Redis' answers are handled, off Lettuce's event loops. */
    private final Scheduler workers = Schedulers.boundedElastic();

    private final String instance = UUID.randomUUID().toString();

    private final AtomicLong acquisitions = new AtomicLong();

    private final LongAdder reads = new LongAdder();

    private final LongAdder locksWon = new LongAdder();

    private final LongAdder locksLost = new LongAdder();

    private final LongAdder publications = new LongAdder();

    private final LongAdder fallbacks = new LongAdder();

    private final LongAdder rejectionRefetchesDenied = new LongAdder();

    private final LongAdder foreignEntries = new LongAdder();

    private final AtomicBoolean foreignLogged = new AtomicBoolean();

    /** Publications received, numbered; replays the latest so a waiter cannot miss one that came meanwhile. */
    private final AtomicLong publicationCount = new AtomicLong();

    private final Sinks.Many<Long> published = Sinks.many().replay().latest();

    /** Why Redis is not used right now, or {@code null}. */
    private volatile @Nullable Trouble trouble;

    /** The fingerprint of the last token this instance fetched from the endpoint. */
    private volatile @Nullable String fetchedHere;

    /** The fingerprint of the last token this instance knows is marked rejected in Redis. */
    private volatile @Nullable String markedRejected;

    private volatile @Nullable TokenOffers provider;

    private volatile @Nullable Disposable subscription;

    /** The renewals of leases held by fetches in flight; closing stops them, so the leases run out. */
    private final Disposable.Composite renewals = Disposables.composite();

    /**
     * @param client the client name (the associated data of encrypted tokens, and in messages)
     * @param connectionFactory the application's Redis
     * @param settings the keys, identity and limits
     * @param timing the provider's timing: what counts as usable, and the wait timeout
     * @param clock the provider's clock
     * @param ticker the provider's monotonic source
     */
    public SharedTokens(String client, ReactiveRedisConnectionFactory connectionFactory, Settings settings,
            RefreshTiming timing, Clock clock, Ticker ticker) {
        this.client = Objects.requireNonNull(client, "client");
        this.identity = settings.identity();
        this.refreshTokenGrant = settings.refreshTokenGrant();
        this.store = new SharedTokenStore(connectionFactory, settings.keyPrefix());
        this.codec = new SharedTokenCodec(client, settings.encryptionKey());
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.commandTimeout = settings.commandTimeout();
        this.waitBound = timing.waitTimeout().dividedBy(2);
        this.leaseTtl = leaseTtl(waitBound, commandTimeout);
        this.rejectionRefetchInterval = settings.rejectionRefetchInterval();
        published.tryEmitNext(0L);
        if (!codec.encrypts()) {
            logger.warn("Tokens of client '" + client + "' are stored in Redis in plain text; set shared.encryption-key "
                    + "to a 256-bit key in base64 to encrypt them");
        }
    }

    /**
     * A third of the waiters' bound, but at least two command timeouts (a renewal must get through in time)
     * and at most {@link #MAX_LEASE}; always shorter than the bound.
     */
    static Duration leaseTtl(Duration waitBound, Duration commandTimeout) {
        Duration lease = waitBound.dividedBy(3);
        if (lease.compareTo(commandTimeout.multipliedBy(2)) < 0) {
            lease = commandTimeout.multipliedBy(2);
        }
        if (lease.compareTo(MAX_LEASE) > 0) {
            lease = MAX_LEASE;
        }
        return (lease.compareTo(waitBound) < 0) ? lease : waitBound.dividedBy(2);
    }

    /**
     * The digest of what defines a client's token (token endpoint or issuer, client id, grant, scopes,
     * audience, resource, …): instances share an entry only when theirs are equal. It is part of the default
     * key prefix, so with an encryption key it is an HMAC under that key: values such as extra parameters
     * cannot be guessed back from it.
     * @param attributes the defining values by name; {@code null} values are left out, collections sorted
     * @param encryptionKey the 256-bit key in base64 tokens are encrypted with, or {@code null}
     * @return 16 hex digits of their HMAC-SHA256 (SHA-256 without a key)
     */
    public static String identity(Map<String, ? extends @Nullable Object> attributes, @Nullable String encryptionKey) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(attributes).forEach((name, value) -> {
            if (value != null) {
                Object normalized = (value instanceof Collection<?> values)
                        ? values.stream().map(String::valueOf).sorted().toList() : value;
                canonical.append(name).append('=').append(normalized).append('\n');
            }
        });
        String digest = new SharedTokenCodec("identity", encryptionKey).fingerprint(canonical.toString());
        return digest.substring(0, 16);
    }

    /**
     * Starts listening for other instances' tokens and offers them to {@code provider}; this source must be
     * the provider's.
     */
    public void attach(TokenOffers provider) {
        this.provider = provider;
        provider.addListener(this);
        subscription = store.publications()
            .doOnSubscribe((ignored) -> logger.debug("Listening for shared tokens of client '" + client + "'"))
            // messages arrive on Lettuce's event loop; waking waiters and reading the entry happen on a worker
            .publishOn(workers)
            .concatMap((fingerprint) -> {
                publications.increment();
                published.tryEmitNext(publicationCount.incrementAndGet());
                return adoptPublished(fingerprint);
            })
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)))
            .subscribe();
    }

    /** The refresh lease's time to live: a third of the waiters' bound, at most {@link #MAX_LEASE}. */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    /**
     * The token source a provider is given: tokens from the fleet, from {@code endpoint} when this instance
     * fetches them.
     */
    public TokenSource share(TokenSource endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return new TokenSource() {

            @Override
            public Mono<AccessToken> fetch(@Nullable AccessToken previous) {
                return fetch(previous, FetchReason.DUE);
            }

            @Override
            public Mono<AccessToken> fetch(@Nullable AccessToken previous, FetchReason reason) {
                return SharedTokens.this.fetch(new Need(previous, reason));
            }
        };
    }

    private Mono<AccessToken> fetch(Need need) {
        return Mono.defer(() -> {
            Trouble current = trouble;
            if (current != null && ticker.nanoTime() - current.retryAtNanos < 0) {
                return outsideLease(need.previous);
            }
            long deadline = ticker.nanoTime() + waitBound.toNanos();
            return markRejected(need).then(fromFleet(need, deadline)).onErrorResume(RedisTrouble.class, (ex) -> {
                degrade(ex);
                return outsideLease(need.previous);
            });
        });
    }

    /** A rejected token is marked in Redis first, so no instance adopts it again. */
    private Mono<Void> markRejected(Need need) {
        AccessToken previous = need.previous;
        if (need.reason != FetchReason.REJECTED || previous == null) {
            return Mono.empty();
        }
        String fingerprint = codec.fingerprint(previous.value());
        return redis(store.markRejected(fingerprint)).doOnNext((marked) -> {
            if (marked) {
                markedRejected = fingerprint;
            }
        }).then();
    }

    private Mono<AccessToken> fromFleet(Need need, long deadline) {
        long seen = publicationCount.get(); // before the read: a publication after it ends the wait at once
        return readEntry().flatMap((entry) -> {
            if (entry.foreign()) {
                return outsideLease(need.previous);
            }
            AccessToken stored = usableFor(entry, need);
            if (stored != null) {
                return Mono.just(stored);
            }
            String owner = instance + ":" + acquisitions.incrementAndGet();
            return redis(store.tryLease(owner, leaseTtl))
                // the lease may have been taken although the answer timed out: give it back
                .onErrorResume((ex) -> releaseLease(owner).then(Mono.error(ex)))
                .flatMap((heldFor) -> {
                    if (heldFor > 0) {
                        if (!need.waited) {
                            locksLost.increment();
                        }
                        return awaitFleet(need, deadline, seen, heldFor);
                    }
                    return underLease(need, deadline, seen, owner);
                });
        });
    }

    /**
     * The lease is ours. The entry is read again: a holder that stored its token and gave the lease back
     * between the first read and this lease has redeemed the refresh token read then.
     */
    private Mono<AccessToken> underLease(Need need, long deadline, long seen, String owner) {
        return readEntry().onErrorResume((ex) -> releaseLease(owner).then(Mono.error(ex))).flatMap((entry) -> {
            AccessToken stored = usableFor(entry, need);
            if (entry.foreign() || stored != null) {
                Mono<AccessToken> result = (stored != null) ? Mono.just(stored) : outsideLease(need.previous);
                return releaseLease(owner).then(result);
            }
            if (logger.isDebugEnabled()) {
                logger.debug("Fetching a token of client '" + client + "' for the fleet (" + need.reason + ", stored: "
                        + ((entry.stored == null) ? "none" : entry.stored.rejected() ? "rejected" : "due or replaced") + ")");
            }
            // the newest refresh token of the fleet is the one the endpoint still accepts
            AccessToken token = entry.token;
            AccessToken base = (token != null && token.hasRefreshToken()) ? token : need.previous;
            return limitsRefetch(need) ? fetchIfFleetAllows(need, deadline, seen, base, owner)
                    : fetchForFleet(base, need.previous, owner);
        });
    }

    /**
     * The stored entry as this instance sees it ({@link Entry#NONE} without one); another client's is
     * counted and logged, a rejected one remembered for health.
     */
    private Mono<Entry> readEntry() {
        return read().defaultIfEmpty(Entry.NONE).doOnNext((entry) -> {
            if (entry.foreign()) {
                refuseForeign();
            }
            else if (entry.stored != null && entry.stored.rejected()) {
                markedRejected = entry.stored.fingerprint();
            }
        });
    }

    /** The stored token if the fleet may hand it out for {@code need}: not rejected, usable, not the one to replace. */
    private @Nullable AccessToken usableFor(Entry entry, Need need) {
        AccessToken token = entry.handOut();
        return (token != null && isUsable(token) && !need.replaces(token)) ? token : null;
    }

    /** Whether this fetch is a refetch after a rejection that the fleet limits. */
    private boolean limitsRefetch(Need need) {
        AccessToken previous = need.previous;
        return need.reason == FetchReason.REJECTED && !rejectionRefetchInterval.isZero() && previous != null
                && isNotDue(previous);
    }

    /** The lease is ours: fetch if the fleet's refetch after a rejection is free, else wait for the fleet's token. */
    private Mono<AccessToken> fetchIfFleetAllows(Need need, long deadline, long seen, @Nullable AccessToken base,
            String owner) {
        return redis(store.tryRejectionRefetch(owner, rejectionRefetchInterval))
            .onErrorResume((ex) -> releaseLease(owner).then(Mono.error(ex)))
            .flatMap((claimedFor) -> {
                if (claimedFor == 0) {
                    return fetchForFleet(base, need.previous, owner);
                }
                rejectionRefetchesDenied.increment();
                if (logger.isDebugEnabled()) {
                    logger.debug("Another instance fetched a token of client '" + client + "' after a rejection "
                            + "within the last " + rejectionRefetchInterval.toMillis() + " ms; waiting for its token");
                }
                return releaseLease(owner).then(awaitFleet(need, deadline, seen, claimedFor));
            });
    }

    private Mono<AccessToken> fetchForFleet(@Nullable AccessToken base, @Nullable AccessToken replaced, String owner) {
        locksWon.increment();
        Mono<AccessToken> fetch = Mono.defer(() -> endpoint.fetch(base))
            .doOnNext((token) -> fetchedHere = codec.fingerprint(token.value()))
            .flatMap((token) -> storeAndPublish(token, replaced));
        return Mono.defer(() -> {
            Renewal renewal = new Renewal(owner);
            // given back before the token is handed out; a cancelled fetch (its process gone) leaves it to run out
            return fetch.or(renewal.lost())
                .flatMap((token) -> renewal.stop().thenReturn(token))
                .onErrorResume((ex) -> renewal.stop().then(Mono.error(ex)))
                .doOnCancel(renewal::cancel);
        });
    }

    /**
     * The lease's renewal while its fetch runs: every third of its ttl, by compare and set. Once Redis says
     * the lease is another's (it ran out, Redis lost it), the fetch is given up, so that nothing of it, a
     * second request included, goes out outside the lease; a renewal that fails or times out is only tried
     * again. Stopping gives the lease back; cancelling only ends the renewal.
     */
    private final class Renewal {

        private final String owner;

        private final Sinks.Empty<Void> lost = Sinks.empty();

        private final Disposable ticks;

        Renewal(String owner) {
            this.owner = owner;
            Duration every = leaseTtl.dividedBy(3);
            this.ticks = Flux.interval(every, every)
                .concatMap((tick) -> store.renewLease(owner, leaseTtl)
                    .subscribeOn(workers)
                    .timeout(commandTimeout)
                    .onErrorResume((ex) -> Mono.empty()))
                .publishOn(workers) // giving the fetch up (cancelling it, releasing the lease) never on Lettuce's thread
                .filter((renewed) -> !renewed)
                .next()
                .subscribe((notRenewed) -> {
                    logger.warn("The refresh lease of client '" + client + "' ran out during its token request (Redis "
                            + "answered too slowly or lost it); the request is given up");
                    lost.tryEmitEmpty();
                });
            renewals.add(ticks);
        }

        Mono<AccessToken> lost() {
            return lost.asMono().then(Mono.error(() -> new TokenUnavailableException("The shared refresh lease of client '"
                    + client + "' ran out during its token request; another instance may fetch now", null)));
        }

        Mono<Boolean> stop() {
            cancel();
            return releaseLease(owner);
        }

        void cancel() {
            renewals.remove(ticks);
            ticks.dispose();
        }
    }

    /**
     * Stores the fetched token. Redis failing now costs nothing but sharing: the token is ours anyway. If one
     * with a longer remaining lifetime is stored already, that is the fleet's and this one is handed out only
     * if it cannot be read.
     */
    private Mono<AccessToken> storeAndPublish(AccessToken token, @Nullable AccessToken replaced) {
        Duration remaining = Duration.ofMillis(token.expiresAt().toEpochMilli() - clock.millis());
        if (remaining.isNegative() || remaining.isZero()) {
            return Mono.just(token);
        }
        return redis(store.store(identity, codec.fingerprint(token.value()), codec.encode(token), remaining,
                token.lifetime()))
            .flatMap((stored) -> stored ? Mono.just(token)
                    : read().map((newer) -> newerOrOwn(newer, token, replaced)).defaultIfEmpty(token))
            .onErrorResume(RedisTrouble.class, (ex) -> {
                degrade(ex);
                return Mono.just(token);
            });
    }

    private static AccessToken newerOrOwn(Entry newer, AccessToken own, @Nullable AccessToken replaced) {
        AccessToken token = newer.handOut();
        boolean isReplaced = token != null && replaced != null && token.value().equals(replaced.value());
        return (token != null && !isReplaced && token.expiresAt().isAfter(own.expiresAt())) ? token : own;
    }

    private Mono<Boolean> releaseLease(String owner) {
        return redis(store.releaseLease(owner)).onErrorResume(RedisTrouble.class, (ex) -> Mono.just(false));
    }

    /**
     * Waits until a publication arrives (one since {@code seen} ends the wait at once) or the other instance's
     * claim runs out, then tries the fleet again; past the deadline, fetches with the base grant.
     */
    private Mono<AccessToken> awaitFleet(Need need, long deadline, long seen, long claimMillis) {
        long remaining = deadline - ticker.nanoTime();
        if (remaining <= 0) {
            logger.debug("Gave up waiting for another instance's token of client '" + client + "'; fetching here");
            return outsideLease(need.previous);
        }
        Duration wait = Duration.ofNanos(Math.min(remaining, Duration.ofMillis(claimMillis).plus(EXPIRY_SLACK).toNanos()));
        return published.asFlux().filter((count) -> count > seen).next().timeout(wait, Mono.just(seen))
            .then(Mono.defer(() -> fromFleet(need.afterWaiting(), deadline)));
    }

    /**
     * A token request of this instance alone (Redis is failing, the wait ran out, or the entry is another
     * client's): with the base grant, never with a refresh token the fleet shares, which only a lease holder
     * may redeem. Where the grant itself is {@code refresh_token}, nothing is requested.
     */
    private Mono<AccessToken> outsideLease(@Nullable AccessToken previous) {
        if (refreshTokenGrant) {
            return Mono.error(new TokenUnavailableException("No new token for client '" + client + "' outside the shared "
                    + "refresh lease (Redis failing, the wait for the fleet ran out, or another client's token under its key "
                    + "prefix): its grant is refresh_token, and redeeming the fleet's refresh token outside the lease "
                    + "could invalidate it for every instance; a token it holds is used until it expires", null));
        }
        fallbacks.increment();
        AccessToken base = (previous != null && previous.hasRefreshToken()) ? previous.withRefreshToken(null) : previous;
        return endpoint.fetch(base).doOnNext((token) -> fetchedHere = codec.fingerprint(token.value()));
    }

    private void refuseForeign() {
        foreignEntries.increment();
        if (foreignLogged.compareAndSet(false, true)) {
            logger.warn("The shared token under the key prefix of client '" + client + "' belongs to another client "
                    + "(another token endpoint, client id, grant, scopes, audience, resource or request parameters); this "
                    + "client does not use it and fetches its own tokens. Give each client its own shared.key-prefix.");
        }
    }

    /** A publication: the stored token is read and offered to the provider, which keeps the later one. */
    private Mono<Void> adoptPublished(String fingerprint) {
        TokenOffers target = provider;
        if (target == null || trouble != null) {
            return Mono.empty();
        }
        return read().doOnNext((entry) -> {
            AccessToken token = entry.handOut();
            if (token != null && entry.stored.fingerprint().equals(fingerprint) && isUsable(token)) {
                target.offer(token);
            }
        }).then().onErrorResume((ex) -> {
            if (ex instanceof RedisTrouble trouble) {
                degrade(trouble);
            }
            return Mono.empty();
        });
    }

    /**
     * The stored entry; its token (only if it is this client's) expires at this instance's now plus the
     * entry's remaining lifetime. An unreadable one (another encryption key: as the identity is keyed with
     * it, a wrong key also shows as another identity) is Redis trouble too: this instance goes its own way.
     */
    private Mono<Entry> read() {
        // decoded (decrypted, fingerprinted) on a worker, inside redis(): an unreadable entry is Redis trouble
        return redis(store.read().publishOn(workers).map((stored) -> {
            // decoded also when it is another identity's: one this instance cannot decrypt means another key
            AccessToken token = codec.decode(stored.data(), clock.instant().plus(stored.remaining()), stored.lifetime());
            return new Entry(stored, identity.equals(stored.identity()) ? token : null);
        })).doOnSubscribe((ignored) -> reads.increment());
    }

    private boolean isUsable(AccessToken token) {
        return clock.millis() < timing.usableUntil(token).toEpochMilli();
    }

    private boolean isNotDue(AccessToken token) {
        return clock.millis() < timing.refreshAt(token).toEpochMilli();
    }

    /**
     * A Redis command with the command timeout; any failure becomes {@link RedisTrouble}, success rejoins.
     * It is sent from a worker (the first command of a connection factory connects, which blocks) and its
     * answer is handed to a worker: Lettuce delivers it on its event loop, and what follows (building and
     * sending the token request, with its assertion signed and its credential sources read, the provider's
     * listeners) must never run there.
     */
    private <T> Mono<T> redis(Mono<T> command) {
        return command.subscribeOn(workers)
            .timeout(commandTimeout)
            .onErrorMap((ex) -> !(ex instanceof RedisTrouble), RedisTrouble::new)
            .publishOn(workers)
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

    /**
     * An API accepted a token after rejections: the fleet's refetch after a rejection is free again. One
     * command per run of rejections, sent off the caller's thread; a failure only leaves the limit to expire.
     */
    @Override
    public void onRejectionsEnded(AccessToken token) {
        if (trouble == null && !rejectionRefetchInterval.isZero()) {
            store.clearRejectionRefetch().timeout(commandTimeout).subscribeOn(workers)
                .subscribe((cleared) -> { }, (ex) -> logger.debug("Could not free the refetch after a rejection of client '"
                        + client + "': " + ex.getMessage()));
        }
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
    public boolean markedRejected(String tokenValue) {
        String fingerprint = markedRejected;
        return fingerprint != null && codec.fingerprint(tokenValue).equals(fingerprint);
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

    @Override
    public long foreignEntries() {
        return foreignEntries.sum();
    }

    /** Stops listening and renewing; a lease this instance holds expires with its ttl. */
    @Override
    public void close() {
        renewals.dispose();
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
        TokenOffers target = provider;
        if (target != null) {
            target.removeListener(this);
        }
    }

    @Override
    public String toString() {
        return "SharedTokens[client=" + client + ", degraded=" + degraded() + "]";
    }

    /**
     * What a client's sharing is configured with.
     *
     * @param keyPrefix the prefix of this client's keys
     * @param identity the digest of what defines this client's token ({@link SharedTokens#identity}); an entry
     * with another is never used
     * @param encryptionKey a 256-bit AES key in base64, or {@code null} to store tokens in plain text
     * @param commandTimeout how long one Redis command may take
     * @param rejectionRefetchInterval the shortest time between two token requests of the fleet caused by an
     * API rejecting the stored token; zero for no limit
     * @param refreshTokenGrant whether the configured grant is {@code refresh_token} itself: then no token is
     * requested outside the lease
     */
    public record Settings(String keyPrefix, String identity, @Nullable String encryptionKey, Duration commandTimeout,
            Duration rejectionRefetchInterval, boolean refreshTokenGrant) {

        public Settings {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(rejectionRefetchInterval, "rejectionRefetchInterval");
        }

        @Override
        public String toString() {
            return "Settings[keyPrefix=" + keyPrefix + ", identity=" + identity + ", encryptionKey="
                    + ((encryptionKey != null) ? "…" : "none") + ", commandTimeout=" + commandTimeout
                    + ", rejectionRefetchInterval=" + rejectionRefetchInterval + ", refreshTokenGrant="
                    + refreshTokenGrant + "]";
        }
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

    /**
     * What the provider asked for: a token to replace {@code previous}, for a reason.
     *
     * @param waited whether this instance has waited for another's token already (counted once)
     */
    private record Need(@Nullable AccessToken previous, FetchReason reason, boolean waited) {

        Need(@Nullable AccessToken previous, FetchReason reason) {
            this(previous, reason, false);
        }

        Need afterWaiting() {
            return new Need(previous, reason, true);
        }

        /** Whether {@code token} is the one to replace. */
        boolean replaces(AccessToken token) {
            return previous != null && token.value().equals(previous.value());
        }
    }

    /**
     * A stored entry, read: {@code stored} is {@code null} when there is none, {@code token} when the entry is
     * another client's.
     */
    private record Entry(@Nullable Stored stored, @Nullable AccessToken token) {

        static final Entry NONE = new Entry(null, null);

        boolean foreign() {
            return stored != null && token == null;
        }

        /** The token, unless there is none, it is another client's or it was rejected. */
        @Nullable AccessToken handOut() {
            return (stored != null && !stored.rejected()) ? token : null;
        }
    }
}
