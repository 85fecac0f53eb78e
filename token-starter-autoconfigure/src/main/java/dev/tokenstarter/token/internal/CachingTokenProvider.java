package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.FetchSlot.Fetch;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.TokenException;
import dev.tokenstarter.token.TokenUnavailableException;

/**
 * The caching {@link TokenProvider}: the whole "is it still valid, and if not, get a new one" logic.
 *
 * <ul>
 * <li>Before {@link RefreshTiming#refreshAt refreshAt}: the cached token is returned from a volatile read of
 * an immutable snapshot and one clock read; no lock, no allocation.</li>
 * <li>Between {@code refreshAt} and {@link RefreshTiming#usableUntil usableUntil}: the cached token is
 * returned at once and one background refresh starts if none is in flight.</li>
 * <li>No token, or past {@code usableUntil}: the caller waits for the single in-flight fetch.</li>
 * </ul>
 * At most one fetch runs at a time (single flight); every waiter gets its result or its error. Errors are
 * not cached, but after a failure the {@link RetryBackoff} holds the next attempt back, and callers that
 * need a new token meanwhile fail fast with a {@link TokenUnavailableException}, unless the current token
 * has not actually expired yet: then they get it, as a last resort. No monitor is ever held:
 * waiters share a {@link CompletableFuture}. A fetch that does not end within the wait timeout gives up
 * its slot and counts as failed. Backoff and that deadline run on a monotonic {@link Ticker}, so a wall
 * clock stepped back cannot stretch them.
 * <p>
 * When the API rejects a token ({@link #rejected}), it is dropped and the next caller fetches a new one, within
 * the limit {@link RejectionRefetchLimit} sets.
 */
public class CachingTokenProvider implements TokenProvider, TokenFeedback, TokenOffers, Refreshable {

    private static final VarHandle SNAPSHOT;

    static {
        try {
            SNAPSHOT = MethodHandles.lookup().findVarHandle(CachingTokenProvider.class, "snapshot", TokenSnapshot.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final TokenSource source;

    private final RefreshTiming timing;

    private final Clock clock;

    private final Ticker ticker;

    private final String description;

    private final Mono<AccessToken> token = Mono.defer(this::currentOrFetch);

    /** The token with its precomputed deadlines; replaced, never mutated. */
    private volatile @Nullable TokenSnapshot snapshot;

    private final FetchSlot slot;

    private final FetchOutcomes outcomes;

    private final RejectionRefetchLimit rejections;

    /** The snapshot as the rejection limit reads and replaces it. */
    private final RejectionRefetchLimit.Snapshots snapshots = new RejectionRefetchLimit.Snapshots() {

        @Override
        public @Nullable TokenSnapshot current() {
            return snapshot;
        }

        @Override
        public boolean replace(TokenSnapshot expected, TokenSnapshot next) {
            return SNAPSHOT.compareAndSet(CachingTokenProvider.this, expected, next);
        }
    };

    private final TokenListeners listeners;

    private final FetchWait wait;

    /** The default of {@code rejectionRefetchInterval}. */
    public static final Duration DEFAULT_REJECTION_REFETCH_INTERVAL = Duration.ofSeconds(10);

    /**
     * A provider with the default refetch interval, and a monotonic source that is {@code clock} itself if
     * it is a {@link Ticker} (as clocks that tests move are), else {@link Ticker#SYSTEM}.
     * @param source how to get a token
     * @param timing the refresh window and expiry margin
     * @param backoff the delay between failed attempts
     * @param clock the time source for every expiry decision
     * @param description names this provider in messages, e.g. the client name and token URI
     */
    public CachingTokenProvider(TokenSource source, RefreshTiming timing, RetryBackoff backoff, Clock clock,
            String description) {
        this(source, timing, backoff, clock, (clock instanceof Ticker ticker) ? ticker : Ticker.SYSTEM,
                DEFAULT_REJECTION_REFETCH_INTERVAL, description);
    }

    /**
     * @param source how to get a token
     * @param timing the refresh window and expiry margin
     * @param backoff the delay between failed attempts
     * @param clock the time source for every expiry decision
     * @param ticker the monotonic source for the backoff, the fetch deadline and the refetch interval
     * @param rejectionRefetchInterval the shortest time between two token requests caused by the API
     * rejecting a token; zero for no limit
     * @param description names this provider in messages, e.g. the client name and token URI
     */
    public CachingTokenProvider(TokenSource source, RefreshTiming timing, RetryBackoff backoff, Clock clock,
            Ticker ticker, Duration rejectionRefetchInterval, String description) {
        this.source = Objects.requireNonNull(source, "source");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.outcomes = new FetchOutcomes(Objects.requireNonNull(backoff, "backoff"), clock, ticker);
        this.description = Objects.requireNonNull(description, "description");
        this.listeners = new TokenListeners(description);
        this.rejections = new RejectionRefetchLimit(snapshots, ticker, rejectionRefetchInterval, clock, listeners,
                description);
        this.wait = new FetchWait(timing.waitTimeout(), description);
        this.slot = new FetchSlot(ticker, timing.waitTimeout());
    }

    @Override
    public Mono<AccessToken> token() {
        return token;
    }

    @Override
    public @Nullable AccessToken cachedToken() {
        return cachedToken(clock.millis());
    }

    /** {@link #cachedToken()} at {@code now}, this provider's clock's millis as the caller just read them. */
    public @Nullable AccessToken cachedToken(long now) {
        TokenSnapshot current = snapshot;
        if (current != null && now < current.refreshAt()) {
            return current.token();
        }
        if (current != null && now < current.usableUntil()) {
            refreshInBackground();
            return current.token();
        }
        return null;
    }

    @Override
    public AccessToken getToken() {
        AccessToken cached = cachedToken();
        if (cached != null) {
            return cached;
        }
        try {
            return wait.block(fetchForCaller());
        }
        catch (TokenException ex) {
            return lastResortOr(ex);
        }
    }

    /**
     * The current token if it has not expired yet and was not rejected: inside the expiry margin callers
     * wait for a new token, but when that cannot be had (the endpoint is failing) a token that is still valid
     * beats an error.
     */
    private AccessToken lastResortOr(TokenException error) {
        TokenSnapshot current = snapshot;
        if (current != null && clock.millis() < current.validUntil()) {
            return current.token();
        }
        throw error;
    }

    private Mono<AccessToken> currentOrFetch() {
        AccessToken cached = cachedToken();
        return (cached != null) ? Mono.just(cached)
                : wait.reactive(fetchForCaller())
                    .onErrorResume(TokenException.class, (ex) -> Mono.fromCallable(() -> lastResortOr(ex)));
    }

    @Override
    public void invalidate(@Nullable AccessToken rejected) {
        TokenSnapshot current = snapshot;
        while (current != null && rejected != null && !current.isDropped() && current.holds(rejected)
                && !SNAPSHOT.compareAndSet(this, current, current.dropped())) {
            current = snapshot;
        }
    }

    @Override
    public boolean rejected(AccessToken token, int status) {
        return rejections.rejected(token, status);
    }

    /**
     * Offers a token obtained elsewhere (another instance sharing this client's tokens, say). It replaces the
     * current one only if that is missing, dropped or rejected, or expires earlier; listeners are told as
     * for a fetched token, so a scheduled refresh is planned from it. A fetch in flight is not affected.
     * @param token the token
     * @return whether it was adopted
     */
    @Override
    public boolean offer(AccessToken token) {
        Objects.requireNonNull(token, "token");
        while (true) {
            TokenSnapshot current = snapshot;
            if (current != null && (current.holds(token) || (!current.isDropped() && !current.refused()
                    && !token.expiresAt().isAfter(current.token().expiresAt())))) {
                return false;
            }
            TokenSnapshot next = TokenSnapshot.of(token, timing);
            if (SNAPSHOT.compareAndSet(this, current, next)) {
                listeners.tell((listener) -> listener.onTokenFetched(token));
                return true;
            }
        }
    }

    @Override
    public void accepted(AccessToken token) {
        rejections.accepted(token);
    }

    @Override
    public TokenState state() {
        TokenSnapshot current = snapshot;
        // the token is held in one place, the snapshot; the state record gets it when asked for
        return TokenStates.with(outcomes.state(), (current != null) ? current.token() : null, rejections.current(),
                current != null && (current.isDropped() || current.refused()));
    }

    @Override
    public void addListener(TokenListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TokenListener listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<AccessToken> refresh() {
        return fetchOrJoin(true, null);
    }

    @Override
    public CompletableFuture<AccessToken> refresh(AccessToken planned) {
        return fetchOrJoin(true, planned);
    }

    @Override
    public @Nullable Instant refreshAt() {
        TokenSnapshot current = snapshot;
        return (current != null) ? Instant.ofEpochMilli(current.refreshAt()) : null;
    }

    /** Whether a token request is under way right now (for tests and diagnostics). */
    public boolean isFetchInFlight() {
        return slot.busy();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Duration waitTimeout() {
        return timing.waitTimeout();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Duration backoffRemaining() {
        return outcomes.backoffRemaining();
    }

    private void refreshInBackground() {
        // While the backoff holds, stay allocation-free: the refresher retries when it ends.
        if (!outcomes.holdsBack()) {
            fetchOrJoin(false, null); // the outcome lands in the state
        }
    }

    /**
     * The fetch a caller without a usable token waits for. While the endpoint keeps failing, callers do not
     * queue behind the retry in flight (which may take a whole timeout): they fail fast.
     */
    private CompletableFuture<AccessToken> fetchForCaller() {
        TokenState current = outcomes.state();
        if (current.consecutiveFailures() > 0 && slot.current(this::overdue) != null) {
            return CompletableFuture.failedFuture(new TokenUnavailableException("No valid token for " + description
                    + ": " + current.consecutiveFailures() + " token request(s) failed and a retry is under way; "
                    + "last error: " + current.lastError(), null));
        }
        return fetchOrJoin(false, null);
    }

    /**
     * @param force whether to fetch although the current token is not due yet (a refresh advanced by jitter)
     * @param planned the token a forced refresh was planned for, or {@code null}: a token that replaced it
     * meanwhile is not forced
     */
    private CompletableFuture<AccessToken> fetchOrJoin(boolean force, @Nullable AccessToken planned) {
        return slot.join(this::overdue, (mine) -> start(mine, force, planned));
    }

    private void overdue(Fetch fetch) {
        failed(fetch, new TokenUnavailableException("The token request for " + description + " did not finish "
                + "within " + timing.waitTimeout().toMillis() + " ms; it was given up and counts as failed", null));
    }

    private void start(Fetch mine, boolean force, @Nullable AccessToken planned) {
        TokenSnapshot current = snapshot;
        Instant now = clock.instant();
        // A fetch may have finished, or a token been offered, between the caller's check and winning the slot:
        // do not fetch twice. A forced refresh is for the token it was planned for, not for one that replaced it.
        boolean forced = force && (planned == null || current == null || current.holds(planned));
        if (!forced && current != null && now.toEpochMilli() < current.refreshAt()) {
            slot.complete(mine, current.token());
            return;
        }
        TokenState before = outcomes.state();
        Duration wait = outcomes.backoffRemaining();
        if (!wait.isZero()) {
            slot.fail(mine, new TokenUnavailableException("No valid token for " + description + ": "
                    + before.consecutiveFailures() + " token request(s) failed, next attempt in "
                    + wait.toMillis() + " ms; last error: " + before.lastError(), null));
            return;
        }
        AccessToken previous = (current != null) ? current.token() : null;
        // a dropped token was rejected (a 401, or invalidate()): the source may limit such refetches
        FetchReason reason = (current != null && current.isDropped()) ? FetchReason.REJECTED : FetchReason.DUE;
        try {
            source.fetch(previous, reason).subscribe((token) -> succeeded(mine, token),
                    (error) -> failed(mine, error),
                    () -> failed(mine, new TokenUnavailableException(
                            "Token source for " + description + " completed without a token", null)));
        }
        catch (RuntimeException ex) {
            failed(mine, ex);
        }
    }

    private void succeeded(Fetch mine, AccessToken token) {
        if (mine.result().isDone()) {
            return;
        }
        snapshot = TokenSnapshot.of(token, timing);
        outcomes.succeeded();
        try {
            listeners.tell((listener) -> listener.onTokenFetched(token));
        }
        finally {
            slot.complete(mine, token);
        }
    }

    private void failed(Fetch mine, Throwable error) {
        if (mine.result().isDone()) {
            return;
        }
        TokenState after = outcomes.failed(error);
        try {
            listeners.tell((listener) -> listener.onFetchFailed(error, after));
        }
        finally {
            slot.fail(mine, error);
        }
    }

    @Override
    public String toString() {
        return "CachingTokenProvider[" + description + ", state=" + state() + "]";
    }

}
