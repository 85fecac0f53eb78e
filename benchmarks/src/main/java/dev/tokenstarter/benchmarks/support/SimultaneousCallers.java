package dev.tokenstarter.benchmarks.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Releases a number of platform threads at the same instant, each making one call, and times every call from
 * that release (so waiting for a CPU counts too).
 *
 * @param nanos each caller's time from the release to its return, {@link Long#MAX_VALUE} for a call that threw
 * @param errors how many calls threw
 */
public record SimultaneousCallers(long[] nanos, int errors) {

    /**
     * Starts {@code callers} threads, releases them together and waits for all of them.
     * @throws IllegalStateException if they have not all returned within {@code timeout}
     */
    public static SimultaneousCallers run(int callers, Callable<?> call, Duration timeout) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers);
        long[] latencies = new long[callers];
        long[] released = new long[1];
        AtomicInteger errors = new AtomicInteger();
        for (int i = 0; i < callers; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    call.call();
                    latencies[index] = System.nanoTime() - released[0];
                }
                catch (Exception ex) {
                    errors.incrementAndGet();
                    latencies[index] = Long.MAX_VALUE;
                }
                finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        ready.await();
        released[0] = System.nanoTime();
        go.countDown();
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(callers + " callers did not all return within " + timeout.toSeconds() + " s");
        }
        return new SimultaneousCallers(latencies, errors.get());
    }
}
