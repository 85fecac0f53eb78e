package dev.tokenstarter.token.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import dev.tokenstarter.token.Ticker;

/**
 * A clock that tests move by hand, so expiry is reached without sleeping. It is also the monotonic
 * {@link Ticker}: {@link #advance} moves both, {@link #set} steps only the wall clock, as an operator or NTP
 * stepping the system time would.
 */
public final class MutableClock extends Clock implements Ticker {

    private volatile Instant now;

    private volatile long nanos;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public static MutableClock startingAt(String instant) {
        return new MutableClock(Instant.parse(instant));
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    public void set(Instant instant) {
        now = instant;
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
