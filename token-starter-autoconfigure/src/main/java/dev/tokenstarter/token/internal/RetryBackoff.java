package dev.tokenstarter.token.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter between failed token requests: after the n-th consecutive failure
 * the next attempt waits a random time in {@code [0, min(max, initial * 2^(n-1))]}.
 */
public final class RetryBackoff {

    /** 1 s doubling up to 60 s. */
    public static final RetryBackoff DEFAULTS = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    /** No delay between attempts. */
    public static final RetryBackoff NONE = new RetryBackoff(Duration.ZERO, Duration.ZERO);

    private final Duration initial;

    private final Duration max;

    private final DoubleSupplier random;

    public RetryBackoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param initial the bound of the first delay
     * @param max the largest bound
     * @param random source of values in {@code [0, 1]}; tests pass a constant
     */
    public RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got initial=" + initial + ", max=" + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The upper bound of the delay after {@code consecutiveFailures} failures (at least 1). */
    public Duration bound(int consecutiveFailures) {
        int doublings = Math.min(Math.max(consecutiveFailures - 1, 0), 30);
        long millis = initial.toMillis();
        long bound = (millis == 0) ? 0 : Math.min(max.toMillis(), millis << Math.min(doublings, Long.numberOfLeadingZeros(millis) - 1));
        return Duration.ofMillis(bound);
    }

    /** A jittered delay in {@code [0, bound(consecutiveFailures)]}. */
    public Duration delay(int consecutiveFailures) {
        return Duration.ofMillis((long) (bound(consecutiveFailures).toMillis() * random.getAsDouble()));
    }

    @Override
    public String toString() {
        return "RetryBackoff[initial=" + initial + ", max=" + max + "]";
    }
}
