package dev.tokenstarter.token.internal.refresh;

import java.time.Duration;

/**
 * Runs a task after a delay; the refresher's only view of time passing, so tests can drive it by hand.
 */
public interface RefreshScheduler extends AutoCloseable {

    /**
     * Runs {@code task} once after {@code delay}.
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops running tasks; tasks not yet started never run. */
    @Override
    void close();

    /** Cancels one scheduled task. */
    @FunctionalInterface
    interface Cancellable {

        void cancel();
    }
}
