package dev.tokenstarter.token.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move by hand, so expiry is reached without sleeping, in UTC. It also reads as a
 * monotonic source ({@link #nanoTime()}): {@link #advance} moves both, {@link #set} steps only the wall clock,
 * as an operator or NTP stepping the system time would. Open for extension so that a test can make it the
 * starter's monotonic source as well.
 */
public class ManualClock extends Clock {

    private volatile Instant now;

    private volatile long nanos;

    /**
     * A clock standing at {@code start}, with the monotonic reading at zero.
     * @param start the wall-clock time to start at
     */
    public ManualClock(Instant start) {
        this.now = start;
    }

    /**
     * Lets time pass: moves the wall clock and the monotonic reading forward together.
     * @param duration how much time passes
     */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }

    /**
     * Steps the wall clock to {@code instant}, forwards or backwards, leaving the monotonic reading alone.
     * @param instant the new wall-clock time
     */
    public void set(Instant instant) {
        now = instant;
    }

    /**
     * The monotonic reading: how far {@link #advance} has moved this clock, in nanoseconds.
     * @return the reading
     */
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
