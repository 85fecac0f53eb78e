package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.AccessToken;

/**
 * The single flight of a provider: at most one fetch in flight, which every caller joins. A fetch that has run
 * past the wait timeout (a token source that never answers) gives its slot up, so that it cannot block
 * everybody forever; the deadline runs on a monotonic {@link Ticker}.
 */
final class FetchSlot {

    private final AtomicReference<@Nullable Fetch> inFlight = new AtomicReference<>();

    private final Ticker ticker;

    private final long timeoutNanos;

    FetchSlot(Ticker ticker, Duration timeout) {
        this.ticker = ticker;
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * The fetch in flight, or {@code null}.
     * @param overdue given a fetch past the timeout; it must end that fetch (as failed), which frees the slot
     */
    @Nullable Fetch current(Consumer<Fetch> overdue) {
        Fetch current = inFlight.get();
        if (current != null && ticker.nanoTime() - current.startedNanos() > timeoutNanos) {
            overdue.accept(current);
            return inFlight.get();
        }
        return current;
    }

    /**
     * Joins the fetch in flight, or claims the slot and starts a fetch.
     * @param overdue see {@link #current}
     * @param start starts the fetch that claimed the slot; it ends it with {@link #complete} or {@link #fail}
     * @return the result of the fetch in flight
     */
    CompletableFuture<AccessToken> join(Consumer<Fetch> overdue, Consumer<Fetch> start) {
        while (true) {
            Fetch current = current(overdue);
            if (current != null) {
                return current.result();
            }
            Fetch mine = new Fetch(new CompletableFuture<>(), ticker.nanoTime());
            if (inFlight.compareAndSet(null, mine)) {
                start.accept(mine);
                return mine.result();
            }
        }
    }

    /** Whether a fetch is in flight. */
    boolean busy() {
        return inFlight.get() != null;
    }

    /** Ends {@code mine} with a token; the slot is released first, so that callbacks asking for a token see it free. */
    void complete(Fetch mine, AccessToken token) {
        inFlight.compareAndSet(mine, null);
        mine.result().complete(token);
    }

    /** Ends {@code mine} with an error. */
    void fail(Fetch mine, Throwable error) {
        inFlight.compareAndSet(mine, null);
        mine.result().completeExceptionally(error);
    }

    /** A fetch: its result, and when it started on the monotonic source. */
    record Fetch(CompletableFuture<AccessToken> result, long startedNanos) {
    }
}
