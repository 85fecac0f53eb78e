package dev.tokenstarter.token.internal;

import java.time.Clock;
import java.time.Duration;

import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenState;

/**
 * The outcomes of a provider's fetches and the backoff they call for: counts and the last failure (without the
 * token), and the {@link Ticker} reading before which the next attempt is held back. Written only by the
 * single fetch in flight; read by everybody.
 */
final class FetchOutcomes {

    private final RetryBackoff backoff;

    private final Clock clock;

    private final Ticker ticker;

    private volatile TokenState state = TokenState.INITIAL;

    /** Valid while failing. */
    private volatile long nextAttemptNanos;

    FetchOutcomes(RetryBackoff backoff, Clock clock, Ticker ticker) {
        this.backoff = backoff;
        this.clock = clock;
        this.ticker = ticker;
    }

    TokenState state() {
        return state;
    }

    /** Whether the last fetch failed. */
    boolean failing() {
        return state.consecutiveFailures() > 0;
    }

    /** Whether the backoff holds the next attempt back now; allocation-free. */
    boolean holdsBack() {
        return state.consecutiveFailures() > 0 && ticker.nanoTime() - nextAttemptNanos < 0;
    }

    /** How long the backoff still holds the next attempt back; {@link Duration#ZERO} when not backing off. */
    Duration backoffRemaining() {
        if (state.consecutiveFailures() == 0) {
            return Duration.ZERO;
        }
        long remaining = nextAttemptNanos - ticker.nanoTime();
        return (remaining > 0) ? Duration.ofNanos(remaining) : Duration.ZERO;
    }

    void succeeded() {
        state = TokenStates.succeeded(state, clock.instant());
    }

    /**
     * Counts a failure and starts the backoff it calls for.
     * @return the state after it
     */
    TokenState failed(Throwable error) {
        TokenState before = state;
        Duration delay = backoff.delay(before.consecutiveFailures() + 1);
        nextAttemptNanos = ticker.nanoTime() + delay.toNanos();
        TokenState after = TokenStates.failed(before, error, clock.instant().plus(delay));
        state = after;
        return after;
    }
}
