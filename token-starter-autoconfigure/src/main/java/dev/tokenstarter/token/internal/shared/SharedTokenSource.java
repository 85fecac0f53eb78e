package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.shared.SharedTokenConnection.Entry;
import dev.tokenstarter.token.internal.shared.SharedTokenConnection.RedisTrouble;

/**
 * The token source a sharing provider is given: the stored token, or the refresh lease and a fetch from the
 * token endpoint for the fleet, or the wait for another instance's, or a fetch of this instance alone, as
 * {@link SharedTokens} describes. Closing it stops the renewals of the leases its fetches hold.
 */
final class SharedTokenSource implements TokenSource, AutoCloseable {

    // one log category for all of sharing
    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    /** The lease's longest time to live; its owner renews it every third of that while fetching. */
    static final Duration MAX_LEASE = Duration.ofSeconds(5);

    /** Added to a wait for a lease or claim to run out, so that the next try finds it gone. */
    private static final Duration EXPIRY_SLACK = Duration.ofMillis(20);

    private final String client;

    private final TokenSource endpoint;

    private final SharedTokenConnection connection;

    private final SharedTokenStore store;

    private final SharedTokenCodec codec;

    private final SharedTokenCounters counters;

    private final PublicationCount publications;

    private final RefreshTiming timing;

    private final Clock clock;

    private final Ticker ticker;

    private final String identity;

    private final boolean refreshTokenGrant;

    private final Duration rejectionRefetchInterval;

    private final Duration waitBound;

    private final Duration leaseTtl;

    private final String instance = UUID.randomUUID().toString();

    private final AtomicLong acquisitions = new AtomicLong();

    private final AtomicBoolean foreignLogged = new AtomicBoolean();

    private final LeaseRenewals renewals;

    /**
     * @param endpoint where this instance's own token requests go
     * @param publications the publications the fleet's waiters wait for
     */
    SharedTokenSource(String client, SharedTokens.Settings settings, RefreshTiming timing,
            SharedTokenConnection connection, SharedTokenCounters counters, PublicationCount publications,
            TokenSource endpoint) {
        this.client = client;
        this.endpoint = endpoint;
        this.connection = connection;
        this.store = connection.store();
        this.codec = connection.codec();
        this.counters = counters;
        this.publications = publications;
        this.timing = timing;
        this.clock = connection.clock();
        this.ticker = connection.ticker();
        this.identity = settings.identity();
        this.refreshTokenGrant = settings.refreshTokenGrant();
        this.rejectionRefetchInterval = settings.rejectionRefetchInterval();
        this.waitBound = timing.waitTimeout().dividedBy(2);
        this.leaseTtl = leaseTtl(waitBound, connection.commandTimeout());
        this.renewals = new LeaseRenewals(client, connection, leaseTtl);
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

    @Override
    public Mono<AccessToken> fetch(@Nullable AccessToken previous) {
        return fetch(previous, FetchReason.DUE);
    }

    @Override
    public Mono<AccessToken> fetch(@Nullable AccessToken previous, FetchReason reason) {
        Need need = new Need(previous, reason);
        return Mono.defer(() -> {
            if (connection.resting()) {
                return outsideLease(need.previous);
            }
            long deadline = ticker.nanoTime() + waitBound.toNanos();
            return connection.orDegraded(markRejected(need).then(fromFleet(need, deadline)),
                    () -> outsideLease(need.previous));
        });
    }

    /** A rejected token is marked in Redis first, so no instance adopts it again. */
    private Mono<Void> markRejected(Need need) {
        AccessToken previous = need.previous;
        if (need.reason != FetchReason.REJECTED || previous == null) {
            return Mono.empty();
        }
        String fingerprint = codec.fingerprint(previous.value());
        return connection.redis(store.markRejected(fingerprint)).doOnNext((marked) -> {
            if (marked) {
                counters.noteMarkedRejected(fingerprint);
            }
        }).then();
    }

    private Mono<AccessToken> fromFleet(Need need, long deadline) {
        long seen = publications.seen(); // before the read: a publication after it ends the wait at once
        return readEntry().flatMap((entry) -> {
            if (entry.foreign()) {
                return outsideLease(need.previous);
            }
            AccessToken stored = usableFor(entry, need);
            if (stored != null) {
                return Mono.just(stored);
            }
            String owner = instance + ":" + acquisitions.incrementAndGet();
            // the lease may have been taken although the answer timed out: give it back
            return connection.releasingOnError(connection.redis(store.tryLease(owner, leaseTtl)), owner)
                .flatMap((heldFor) -> {
                    if (heldFor > 0) {
                        if (!need.waited) {
                            counters.locksLost.increment();
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
        return connection.releasingOnError(readEntry(), owner).flatMap((entry) -> {
            AccessToken stored = usableFor(entry, need);
            if (entry.foreign() || stored != null) {
                Mono<AccessToken> result = (stored != null) ? Mono.just(stored) : outsideLease(need.previous);
                return connection.releaseLease(owner).then(result);
            }
            if (logger.isDebugEnabled()) {
                logger.debug("Fetching a token of client '" + client + "' for the fleet (" + need.reason + ", stored: "
                        + ((entry.stored() == null) ? "none" : entry.stored().rejected() ? "rejected" : "due or replaced")
                        + ")");
            }
            // the newest refresh token of the fleet is the one the endpoint still accepts
            AccessToken token = entry.token();
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
        return connection.read().defaultIfEmpty(Entry.NONE).doOnNext((entry) -> {
            if (entry.foreign()) {
                refuseForeign();
            }
            else if (entry.stored() != null && entry.stored().rejected()) {
                counters.noteMarkedRejected(entry.stored().fingerprint());
            }
        });
    }

    /** The stored token if the fleet may hand it out for {@code need}: not rejected, usable, not the one to replace. */
    private @Nullable AccessToken usableFor(Entry entry, Need need) {
        AccessToken token = entry.handOut();
        return (token != null && isUsable(token) && !need.replaces(token)) ? token : null;
    }

    private boolean isUsable(AccessToken token) {
        return clock.millis() < timing.usableUntil(token).toEpochMilli();
    }

    /** Whether this fetch is a refetch after a rejection that the fleet limits. */
    private boolean limitsRefetch(Need need) {
        AccessToken previous = need.previous;
        return need.reason == FetchReason.REJECTED && !rejectionRefetchInterval.isZero() && previous != null
                && clock.millis() < timing.refreshAt(previous).toEpochMilli();
    }

    /** The lease is ours: fetch if the fleet's refetch after a rejection is free, else wait for the fleet's token. */
    private Mono<AccessToken> fetchIfFleetAllows(Need need, long deadline, long seen, @Nullable AccessToken base,
            String owner) {
        return connection.releasingOnError(connection.redis(store.tryRejectionRefetch(owner, rejectionRefetchInterval)),
                owner)
            .flatMap((claimedFor) -> {
                if (claimedFor == 0) {
                    return fetchForFleet(base, need.previous, owner);
                }
                counters.rejectionRefetchesDenied.increment();
                if (logger.isDebugEnabled()) {
                    logger.debug("Another instance fetched a token of client '" + client + "' after a rejection "
                            + "within the last " + rejectionRefetchInterval.toMillis() + " ms; waiting for its token");
                }
                return connection.releaseLease(owner).then(awaitFleet(need, deadline, seen, claimedFor));
            });
    }

    private Mono<AccessToken> fetchForFleet(@Nullable AccessToken base, @Nullable AccessToken replaced, String owner) {
        counters.locksWon.increment();
        Mono<AccessToken> fetch = Mono.defer(() -> fetchHere(base)).flatMap((token) -> storeAndPublish(token, replaced));
        return Mono.defer(() -> {
            LeaseRenewals.Renewal renewal = renewals.start(owner);
            // given back before the token is handed out; a cancelled fetch (its process gone) leaves it to run out
            return fetch.or(renewal.lost())
                .flatMap((token) -> renewal.stop().thenReturn(token))
                .onErrorResume((ex) -> renewal.stop().then(Mono.error(ex)))
                .doOnCancel(renewal::cancel);
        });
    }

    /** A token request of this instance to the endpoint, its token remembered for health. */
    private Mono<AccessToken> fetchHere(@Nullable AccessToken base) {
        return endpoint.fetch(base).doOnNext(counters::noteFetchedHere);
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
        return connection.orDegraded(connection.redis(store.store(identity, codec.fingerprint(token.value()),
                codec.encode(token), remaining, token.lifetime()))
            .flatMap((stored) -> stored ? Mono.just(token)
                    : connection.read().map((newer) -> newerOrOwn(newer, token, replaced)).defaultIfEmpty(token)),
                () -> Mono.just(token));
    }

    private static AccessToken newerOrOwn(Entry newer, AccessToken own, @Nullable AccessToken replaced) {
        AccessToken token = newer.handOut();
        boolean isReplaced = token != null && replaced != null && token.value().equals(replaced.value());
        return (token != null && !isReplaced && token.expiresAt().isAfter(own.expiresAt())) ? token : own;
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
        return publications.after(seen, wait).then(Mono.defer(() -> fromFleet(need.afterWaiting(), deadline)));
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
        counters.fallbacks.increment();
        AccessToken base = (previous != null && previous.hasRefreshToken()) ? previous.withRefreshToken(null) : previous;
        return fetchHere(base);
    }

    private void refuseForeign() {
        counters.foreignEntries.increment();
        if (foreignLogged.compareAndSet(false, true)) {
            logger.warn("The shared token under the key prefix of client '" + client + "' belongs to another client "
                    + "(another token endpoint, client id, grant, scopes, audience, resource or request parameters); this "
                    + "client does not use it and fetches its own tokens. Give each client its own shared.key-prefix.");
        }
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    /** Stops renewing; a lease this instance holds expires with its ttl. */
    @Override
    public void close() {
        renewals.close();
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
}
