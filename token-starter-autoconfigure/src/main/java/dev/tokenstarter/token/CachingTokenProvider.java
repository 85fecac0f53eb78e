package dev.tokenstarter.token;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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
 * waiters share a {@link CompletableFuture}.
 */
public class CachingTokenProvider implements TokenProvider {

    private static final Log logger = LogFactory.getLog(CachingTokenProvider.class);

    private static final VarHandle SNAPSHOT;

    static {
        try {
            SNAPSHOT = MethodHandles.lookup().findVarHandle(CachingTokenProvider.class, "snapshot", Snapshot.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final TokenSource source;

    private final RefreshTiming timing;

    private final RetryBackoff backoff;

    private final Clock clock;

    private final String description;

    private final Mono<AccessToken> token = Mono.defer(this::currentOrFetch);

    /** The token with its precomputed deadlines; replaced, never mutated. */
    private volatile Snapshot snapshot;

    private final AtomicReference<CompletableFuture<AccessToken>> inFlight = new AtomicReference<>();

    /** Written only by the single fetch in flight; read by anyone. */
    private volatile TokenState state = TokenState.INITIAL;

    private final AtomicLong rejections = new AtomicLong();

    private final List<TokenListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param source how to get a token
     * @param timing the refresh window and expiry margin
     * @param backoff the delay between failed attempts
     * @param clock the time source for every expiry decision
     * @param description names this provider in messages, e.g. the client name and token URI
     */
    public CachingTokenProvider(TokenSource source, RefreshTiming timing, RetryBackoff backoff, Clock clock,
            String description) {
        this.source = Objects.requireNonNull(source, "source");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public Mono<AccessToken> token() {
        return token;
    }

    @Override
    public AccessToken cachedToken() {
        Snapshot current = snapshot;
        long now = clock.millis();
        if (current != null && now < current.refreshAt) {
            return current.token;
        }
        if (current != null && now < current.usableUntil) {
            refreshInBackground();
            return current.token;
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
            return await(fetchForCaller());
        }
        catch (TokenException ex) {
            AccessToken lastResort = stillValid();
            if (lastResort != null) {
                return lastResort;
            }
            throw ex;
        }
    }

    /**
     * The current token if it has not expired yet and was not rejected: inside the expiry margin callers
     * wait for a new token, but when that cannot be had (the endpoint is failing) a token that is still valid
     * beats an error.
     */
    private AccessToken stillValid() {
        Snapshot current = snapshot;
        return (current != null && clock.millis() < current.validUntil) ? current.token : null;
    }

    private Mono<AccessToken> currentOrFetch() {
        AccessToken cached = cachedToken();
        // suppressCancel: one subscriber going away must not cancel the fetch the others wait for
        return (cached != null) ? Mono.just(cached)
                : Mono.fromFuture(fetchForCaller(), true)
                    .timeout(timing.waitTimeout(), Mono.error(() -> new TokenUnavailableException("Timed out after "
                            + timing.waitTimeout().toMillis() + " ms waiting for a token for " + description, null)))
                    .onErrorResume(TokenException.class, (ex) -> {
                        AccessToken lastResort = stillValid();
                        return (lastResort != null) ? Mono.just(lastResort) : Mono.error(ex);
                    });
    }

    @Override
    public void invalidate(AccessToken rejected) {
        Snapshot current = snapshot;
        if (current != null && rejected != null && !current.isRejected() && current.token.value().equals(rejected.value())
                && SNAPSHOT.compareAndSet(this, current, current.rejected())) {
            rejections.incrementAndGet();
        }
    }

    @Override
    public TokenState state() {
        return state.withRejections(rejections.get());
    }

    /**
     * Registers a listener told about every completed fetch, whoever started it.
     * @param listener the listener; it must return quickly and not throw
     */
    public void addListener(TokenListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added before. */
    public void removeListener(TokenListener listener) {
        listeners.remove(listener);
    }

    /** Whether a token request is under way right now. */
    public boolean isFetchInFlight() {
        return inFlight.get() != null;
    }

    /** The refresh window and expiry margin in use. */
    public RefreshTiming timing() {
        return timing;
    }

    /** The clock every expiry decision reads. */
    public Clock clock() {
        return clock;
    }

    /**
     * Starts a fetch unless one is in flight or the backoff holds it back, whatever the current token's
     * freshness; used by the scheduled refresher.
     * @return the in-flight fetch
     */
    public CompletableFuture<AccessToken> refresh() {
        return fetchOrJoin(true);
    }

    /** The instant from which the current token should be refreshed, or {@code null} without a token. */
    public Instant refreshAt() {
        Snapshot current = snapshot;
        return (current != null) ? Instant.ofEpochMilli(current.refreshAt) : null;
    }

    /** Names this provider (client and endpoint) in messages. */
    public String description() {
        return description;
    }

    private void refreshInBackground() {
        // While the backoff holds, stay allocation-free: the refresher retries when it ends.
        Instant nextAttempt = state.nextAttemptAt();
        if (nextAttempt == null || clock.millis() >= nextAttempt.toEpochMilli()) {
            fetchOrJoin(); // the outcome lands in the state
        }
    }

    /**
     * The fetch a caller without a usable token waits for. While the endpoint keeps failing, callers do not
     * queue behind the retry in flight (which may take a whole timeout): they fail fast.
     */
    private CompletableFuture<AccessToken> fetchForCaller() {
        TokenState current = state;
        if (current.consecutiveFailures() > 0 && inFlight.get() != null) {
            return CompletableFuture.failedFuture(new TokenUnavailableException("No valid token for " + description
                    + ": " + current.consecutiveFailures() + " token request(s) failed and a retry is under way; "
                    + "last error: " + current.lastError(), null));
        }
        return fetchOrJoin();
    }

    private CompletableFuture<AccessToken> fetchOrJoin() {
        return fetchOrJoin(false);
    }

    private CompletableFuture<AccessToken> fetchOrJoin(boolean force) {
        while (true) {
            CompletableFuture<AccessToken> current = inFlight.get();
            if (current != null) {
                return current;
            }
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                start(mine, force);
                return mine;
            }
        }
    }

    private void start(CompletableFuture<AccessToken> mine, boolean force) {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        // A fetch may have finished between the caller's check and winning the slot: do not fetch twice.
        if (!force && current != null && now.toEpochMilli() < current.refreshAt) {
            finish(mine, current.token, null);
            return;
        }
        TokenState before = state;
        if (before.nextAttemptAt() != null && now.isBefore(before.nextAttemptAt())) {
            finish(mine, null, new TokenUnavailableException("No valid token for " + description + ": "
                    + before.consecutiveFailures() + " token request(s) failed, next attempt in "
                    + Duration.between(now, before.nextAttemptAt()).toMillis() + " ms; last error: "
                    + before.lastError(), null));
            return;
        }
        AccessToken previous = (current != null) ? current.token : null;
        try {
            source.fetch(previous).subscribe((token) -> succeeded(mine, token),
                    (error) -> failed(mine, error),
                    () -> failed(mine, new TokenUnavailableException(
                            "Token source for " + description + " completed without a token", null)));
        }
        catch (RuntimeException ex) {
            failed(mine, ex);
        }
    }

    private void succeeded(CompletableFuture<AccessToken> mine, AccessToken token) {
        if (mine.isDone()) {
            return;
        }
        snapshot = new Snapshot(token, timing.refreshAt(token).toEpochMilli(), timing.usableUntil(token).toEpochMilli(),
                token.expiresAt().toEpochMilli());
        state = state.succeeded(token, clock.instant());
        try {
            notifyListeners((listener) -> listener.onTokenFetched(token));
        }
        finally {
            finish(mine, token, null);
        }
    }

    private void failed(CompletableFuture<AccessToken> mine, Throwable error) {
        if (mine.isDone()) {
            return;
        }
        TokenState before = state;
        Instant nextAttempt = clock.instant().plus(backoff.delay(before.consecutiveFailures() + 1));
        TokenState after = before.failed(error, nextAttempt);
        state = after;
        try {
            notifyListeners((listener) -> listener.onFetchFailed(error, after));
        }
        finally {
            finish(mine, null, error);
        }
    }

    /** A listener that throws must not break the fetch everybody waits for. */
    private void notifyListeners(java.util.function.Consumer<TokenListener> call) {
        for (TokenListener listener : listeners) {
            try {
                call.accept(listener);
            }
            catch (RuntimeException ex) {
                logger.warn("Token listener " + listener + " of " + description + " failed", ex);
            }
        }
    }

    private void finish(CompletableFuture<AccessToken> mine, AccessToken token, Throwable error) {
        // Release the slot before completing, so that callbacks asking for a token see the new state.
        inFlight.compareAndSet(mine, null);
        if (error != null) {
            mine.completeExceptionally(error);
        }
        else {
            mine.complete(token);
        }
    }

    private AccessToken await(CompletableFuture<AccessToken> fetch) {
        if (!fetch.isDone() && Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("getToken() would block a non-blocking thread ("
                    + Thread.currentThread().getName() + ") while waiting for a token for " + description
                    + "; use token() in reactive code");
        }
        try {
            return fetch.get(timing.waitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TokenUnavailableException("Token request for " + description + " failed", cause);
        }
        catch (TimeoutException ex) {
            throw new TokenUnavailableException("Timed out after " + timing.waitTimeout().toMillis()
                    + " ms waiting for a token for " + description, null);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException("Interrupted while waiting for a token for " + description, ex);
        }
    }

    @Override
    public String toString() {
        return "CachingTokenProvider[" + description + ", state=" + state + "]";
    }

    /** A token with its deadlines in epoch millis, so the hot path compares two longs. */
    private record Snapshot(AccessToken token, long refreshAt, long usableUntil, long validUntil) {

        /** The same token, rejected: never handed out again, not even as a last resort. */
        Snapshot rejected() {
            return new Snapshot(token, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);
        }

        boolean isRejected() {
            return validUntil == Long.MIN_VALUE;
        }
    }
}
