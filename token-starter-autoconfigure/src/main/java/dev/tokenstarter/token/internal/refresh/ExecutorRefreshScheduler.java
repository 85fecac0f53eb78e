package dev.tokenstarter.token.internal.refresh;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RefreshScheduler} on one daemon thread of its own, so token refreshes never wait behind the
 * application's scheduled work and the thread ends with the context.
 */
public final class ExecutorRefreshScheduler implements RefreshScheduler {

    private final ScheduledThreadPoolExecutor executor;

    /** @param threadName the name of the scheduler thread, e.g. {@code token-refresh-api} */
    public ExecutorRefreshScheduler(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (executor.isShutdown()) {
            return () -> {
            };
        }
        try {
            ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        }
        catch (RejectedExecutionException ex) {
            return () -> {
            }; // closed meanwhile: nothing runs after close
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
