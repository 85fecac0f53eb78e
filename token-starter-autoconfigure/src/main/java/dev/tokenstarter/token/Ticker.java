package dev.tokenstarter.token;

/**
 * A monotonic time source in nanoseconds, for deadlines and backoff: unlike the wall clock it never jumps
 * when the system time is stepped. Only differences between two readings mean anything.
 */
@FunctionalInterface
public interface Ticker {

    /** {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** {@return the current reading in nanoseconds} */
    long nanoTime();
}
