package dev.tokenstarter.token.test;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManualClockTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void advancingMovesTheWallClockAndTheMonotonicReadingTogether() {
        clock.advance(Duration.ofSeconds(90));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:01:30Z"));
        assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(90).toNanos());
    }

    @Test
    void settingStepsOnlyTheWallClock() {
        clock.advance(Duration.ofSeconds(1));
        clock.set(Instant.parse("2025-12-31T23:00:00Z"));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }
}
