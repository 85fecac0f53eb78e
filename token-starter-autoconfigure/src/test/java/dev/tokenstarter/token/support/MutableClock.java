package dev.tokenstarter.token.support;

import java.time.Instant;

import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.test.ManualClock;

/**
 * A {@link ManualClock} that is also the monotonic {@link Ticker}: {@link #advance} moves both, {@link #set}
 * steps only the wall clock, as an operator or NTP stepping the system time would.
 */
public final class MutableClock extends ManualClock implements Ticker {

    public MutableClock(Instant start) {
        super(start);
    }

    public static MutableClock startingAt(String instant) {
        return new MutableClock(Instant.parse(instant));
    }
}
