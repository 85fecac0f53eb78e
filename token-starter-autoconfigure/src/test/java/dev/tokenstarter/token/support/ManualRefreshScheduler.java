package dev.tokenstarter.token.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.tokenstarter.token.internal.refresh.RefreshScheduler;

/**
 * A scheduler driven by the test: tasks are due at {@code clock + delay} and run only when the test calls
 * {@link #runDue()}.
 */
public final class ManualRefreshScheduler implements RefreshScheduler {

    private final Clock clock;

    private final List<Task> tasks = new ArrayList<>();

    private boolean closed;

    public ManualRefreshScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable runnable) {
        Task task = new Task(clock.instant().plus(delay), runnable);
        if (!closed) {
            tasks.add(task);
        }
        return () -> cancel(task);
    }

    private synchronized void cancel(Task task) {
        tasks.remove(task);
    }

    /** Runs every task due now, including tasks those schedule for now. Returns how many ran. */
    public int runDue() {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter((task) -> !task.due.isAfter(clock.instant()))
                    .min(Comparator.comparing(Task::due)).orElse(null);
                if (next == null) {
                    return ran;
                }
                tasks.remove(next);
            }
            next.runnable.run();
            ran++;
        }
    }

    /** When the earliest pending task is due, or {@code null}. */
    public synchronized Instant nextDue() {
        return tasks.stream().map(Task::due).min(Comparator.naturalOrder()).orElse(null);
    }

    public synchronized int pending() {
        return tasks.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private record Task(Instant due, Runnable runnable) {
    }
}
