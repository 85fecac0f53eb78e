package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The limit on token requests caused by the API rejecting tokens, and the count of those rejections. While
 * no call with a token has succeeded since the last such request, the next one waits for the interval: an
 * API that rejects every fresh token (wrong audience, say) must not turn each call into a token request.
 */
final class RejectionRefetchLimit {

    private static final long NEVER = Long.MIN_VALUE;

    private final Ticker ticker;

    private final long intervalNanos;

    private final AtomicReference<TokenState.ApiRejections> rejections = new AtomicReference<>(
            TokenState.ApiRejections.NONE);

    /** The {@link Ticker} reading of the last rejection that dropped a token, or {@link #NEVER}. */
    private final AtomicLong lastRefetch = new AtomicLong(NEVER);

    /**
     * @param ticker the monotonic source the interval runs on
     * @param intervalNanos the shortest time between two such token requests; zero for no limit
     */
    RejectionRefetchLimit(Ticker ticker, long intervalNanos) {
        this.ticker = ticker;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Decides for one rejection whether its token is dropped (a refetch, taken now) or kept.
     * @return the decision, or {@code null} when another rejection took the refetch meanwhile: decide again
     */
    @Nullable Decision decide() {
        long last = lastRefetch.get();
        long now = ticker.nanoTime();
        // the limit holds only while the API has not accepted any token since the last refetch
        boolean refetch = rejections.get().streak() == 0 || last == NEVER || now - last >= intervalNanos;
        if (refetch && !lastRefetch.compareAndSet(last, now)) {
            return null;
        }
        return new Decision(refetch, last, now);
    }

    /** The rejection's token was replaced meanwhile: a refetch it took is given back. */
    void giveBack(Decision decision) {
        if (decision.refetch) {
            lastRefetch.compareAndSet(decision.takenNanos, decision.previousNanos);
        }
    }

    /**
     * Counts a rejection that was decided and applied.
     * @param newToken whether the token had not been rejected before
     */
    void count(Decision decision, boolean newToken, Instant at, int status) {
        rejections.updateAndGet((api) -> api.rejected(newToken, decision.refetch, at, status));
    }

    /** Whether the API has rejected tokens since it last accepted one: one volatile read. */
    boolean inRun() {
        return rejections.get().streak() != 0;
    }

    /**
     * Ends a run of rejections.
     * @return the count before
     */
    TokenState.ApiRejections accepted() {
        return rejections.getAndUpdate(TokenState.ApiRejections::accepted);
    }

    TokenState.ApiRejections current() {
        return rejections.get();
    }

    long intervalMillis() {
        return intervalNanos / 1_000_000;
    }

    /**
     * @param refetch whether the token is dropped and a new one requested
     * @param previousNanos the last refetch before this one, to give back
     * @param takenNanos when this refetch was taken
     */
    record Decision(boolean refetch, long previousNanos, long takenNanos) {
    }
}
