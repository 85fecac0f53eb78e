package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenState;

/**
 * What a {@link CachingTokenProvider} does when the API rejects or accepts its token, and the limit on the token
 * requests rejections cause. A rejected token is dropped so that the next caller fetches a new one; while no
 * call with a token has succeeded since the last such request, the next one waits for the interval: an API
 * that rejects every fresh token (wrong audience, say) must not turn each call into a token request.
 * Meanwhile the rejected token stays, marked refused, and callers get the API's answer.
 */
final class RejectionRefetchLimit {

    private static final Log logger = LogFactory.getLog(CachingTokenProvider.class);

    private static final long NEVER = Long.MIN_VALUE;

    private final Snapshots snapshots;

    private final Ticker ticker;

    private final long intervalNanos;

    private final Clock clock;

    private final TokenListeners listeners;

    private final String description;

    private final AtomicReference<ApiRejections> rejections = new AtomicReference<>(
            ApiRejections.NONE);

    /** The {@link Ticker} reading of the last rejection that dropped a token, or {@link #NEVER}. */
    private final AtomicLong lastRefetch = new AtomicLong(NEVER);

    /**
     * @param snapshots the provider's token, read and replaced
     * @param ticker the monotonic source the interval runs on
     * @param interval the shortest time between two such token requests; zero for no limit
     * @param clock stamps the rejections
     * @param listeners the provider's listeners, told of a first rejection and of the end of a run
     * @param description names the provider in messages
     */
    RejectionRefetchLimit(Snapshots snapshots, Ticker ticker, Duration interval, Clock clock, TokenListeners listeners,
            String description) {
        this.snapshots = snapshots;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.listeners = listeners;
        this.description = description;
    }

    /** See {@link TokenFeedback#rejected}. */
    boolean rejected(AccessToken token, int status) {
        while (true) {
            TokenSnapshot current = snapshots.current();
            if (current == null || current.isDropped() || !current.holds(token)) {
                return true; // dropped or replaced already: a retry gets the next token
            }
            long last = lastRefetch.get();
            long now = ticker.nanoTime();
            // the limit holds only while the API has not accepted any token since the last refetch
            boolean refetch = rejections.get().streak() == 0 || last == NEVER || now - last >= intervalNanos;
            if (refetch && !lastRefetch.compareAndSet(last, now)) {
                continue; // another rejection just took the refetch
            }
            TokenSnapshot next = refetch ? current.dropped() : current.keptAfterRejection();
            if (snapshots.replace(current, next)) {
                boolean newToken = !current.refused();
                Instant at = clock.instant();
                rejections.updateAndGet((api) -> api.rejected(newToken, refetch, at, status));
                if (newToken) {
                    listeners.tell((listener) -> listener.onTokenRejected(token, status));
                }
                if (!refetch && logger.isDebugEnabled()) {
                    logger.debug("The API rejected the token of " + description + " again; no new token request until "
                            + (intervalNanos / 1_000_000) + " ms after the last one");
                }
                return refetch;
            }
            if (refetch) {
                lastRefetch.compareAndSet(now, last); // give the refetch back
            }
        }
    }

    /** See {@link TokenFeedback#accepted}. */
    void accepted(AccessToken token) {
        if (rejections.get().streak() == 0) {
            return; // the hot path: one volatile read
        }
        ApiRejections before = rejections.getAndUpdate(ApiRejections::accepted);
        TokenSnapshot current = snapshots.current();
        if (current != null && current.refused() && current.holds(token)) {
            snapshots.replace(current, current.accepted());
        }
        if (before.streak() > 0) {
            listeners.tell((listener) -> listener.onRejectionsEnded(token));
        }
    }

    /** The rejections counted so far. */
    ApiRejections current() {
        return rejections.get();
    }

    /** The provider's token as this limit reads and replaces it. */
    interface Snapshots {

        @Nullable TokenSnapshot current();

        /** Replaces {@code expected} with {@code next} if it is still the current one. */
        boolean replace(TokenSnapshot expected, TokenSnapshot next);
    }
}
