package dev.tokenstarter.token.internal.refresh;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.Refreshable;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.TokenUnavailableException;

/**
 * Refreshes a provider's token before callers would have to wait for one: after each fetch, whoever
 * started it, the next refresh is planned at {@code refreshAt - random(0, jitter)}, where the jitter is a
 * tenth of the token's lifetime capped at {@code maxJitter}, so a fleet of instances spreads its requests.
 * After a failure the next attempt follows the provider's backoff, the same one callers see. Starts with
 * the application context (optionally fetching the first token right away) and stops with it.
 */
public final class ScheduledTokenRefresher implements SmartLifecycle, DisposableBean, TokenListener {

    private static final Log logger = LogFactory.getLog(ScheduledTokenRefresher.class);

    private static final Duration MIN_RETRY_DELAY = Duration.ofMillis(100);

    private final Refreshable provider;

    private final RefreshScheduler scheduler;

    private final Duration maxJitter;

    private final boolean eager;

    private final boolean failFast;

    private final DoubleSupplier random;

    private final AtomicReference<RefreshScheduler.@Nullable Cancellable> scheduled = new AtomicReference<>();

    /** The jittered due time chosen for the current token, kept so that re-planning does not re-roll it. */
    private final AtomicReference<@Nullable Plan> plan = new AtomicReference<>();

    private volatile boolean running;

    /**
     * @param provider the provider to keep fresh
     * @param scheduler runs the refreshes
     * @param maxJitter the upper bound of the random advance of each refresh
     * @param eager whether the first token is fetched at start
     * @param failFast whether start fails when that first fetch fails
     * @param random values in {@code [0, 1]}; tests pass a constant
     */
    public ScheduledTokenRefresher(Refreshable provider, RefreshScheduler scheduler, Duration maxJitter,
            boolean eager, boolean failFast, DoubleSupplier random) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.maxJitter = Objects.requireNonNull(maxJitter, "maxJitter");
        this.eager = eager;
        this.failFast = failFast;
        this.random = Objects.requireNonNull(random, "random");
    }

    public ScheduledTokenRefresher(Refreshable provider, RefreshScheduler scheduler, Duration maxJitter,
            boolean eager, boolean failFast) {
        this(provider, scheduler, maxJitter, eager, failFast, () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        running = true;
        provider.addListener(this);
        if (failFast) {
            fetchFirstTokenOrFail();
        }
        else if (eager) {
            reschedule(Duration.ZERO);
        }
        else {
            replan();
        }
    }

    private void fetchFirstTokenOrFail() {
        Duration wait = provider.waitTimeout();
        try {
            provider.refresh().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            destroy();
            Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
            throw new TokenUnavailableException("Could not obtain the first token for " + provider.description()
                    + " at startup (refresh.fail-fast is on): " + cause.getMessage(), cause);
        }
        catch (TimeoutException ex) {
            destroy();
            throw new TokenUnavailableException("Could not obtain the first token for " + provider.description()
                    + " at startup within " + wait.toMillis() + " ms (refresh.fail-fast is on)", null);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            destroy();
            throw new TokenUnavailableException("Interrupted while fetching the first token for "
                    + provider.description(), ex);
        }
    }

    @Override
    public void stop() {
        running = false;
        provider.removeListener(this);
        RefreshScheduler.Cancellable task = scheduled.getAndSet(null);
        if (task != null) {
            task.cancel();
        }
    }

    /** Stops, and releases the scheduler for good (its thread ends). */
    @Override
    public void destroy() {
        stop();
        scheduler.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void onTokenFetched(AccessToken token) {
        if (running) {
            replan();
        }
    }

    @Override
    public void onFetchFailed(Throwable error, TokenState state) {
        if (running) {
            logger.warn("Token refresh for " + provider.description() + " failed (" + state.consecutiveFailures()
                    + " in a row); retrying at " + state.nextAttemptAt() + ": " + error.getMessage());
            reschedule(provider.backoffRemaining());
        }
    }

    /** The instant the next refresh is due for the current token, or {@code null} without one. */
    public @Nullable Instant nextRefreshAt() {
        Plan current = plan.get();
        return (current != null) ? current.due : null;
    }

    private void replan() {
        AccessToken token = provider.state().token();
        if (token == null) {
            return; // not eager and nothing fetched yet: the first caller's fetch will call back
        }
        reschedule(until(dueFor(token)));
    }

    private Instant dueFor(AccessToken token) {
        Plan current = plan.get();
        if (current != null && current.token == token) {
            return current.due;
        }
        Instant refreshAt = provider.refreshAt();
        Instant planned = (refreshAt != null) ? refreshAt : token.expiresAt();
        // never more than half the time until the planned refresh, so an early server hint cannot make it due at once
        Duration bound = min(min(token.lifetime().dividedBy(10), maxJitter),
                Duration.between(token.issuedAt(), planned).dividedBy(2));
        Duration jitter = Duration.ofMillis((long) (Math.max(0, bound.toMillis()) * random.getAsDouble()));
        Instant due = planned.minus(jitter);
        plan.set(new Plan(token, due));
        return due;
    }

    private void run() {
        if (!running) {
            return;
        }
        Instant now = provider.clock().instant();
        TokenState state = provider.state();
        Duration backoff = provider.backoffRemaining();
        if (!backoff.isZero()) {
            reschedule(backoff);
            return;
        }
        AccessToken token = state.token();
        if (token != null && state.consecutiveFailures() == 0 && now.isBefore(dueFor(token))) {
            reschedule(until(dueFor(token))); // someone else already refreshed it
            return;
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Refreshing token for " + provider.description() + " ahead of expiry");
        }
        // Plan the next run however this ends: with a token, a failure, or a fetch someone else finished.
        // for this token: one adopted meanwhile (another instance's refresh) is not refreshed before it is due
        CompletableFuture<AccessToken> refresh = (token != null) ? provider.refresh(token) : provider.refresh();
        refresh.whenComplete((fetched, error) -> {
            if (error != null) {
                reschedule(provider.backoffRemaining());
            }
            else {
                replan();
            }
        });
    }

    private void reschedule(Duration delay) {
        if (!running) {
            return;
        }
        if (provider.state().consecutiveFailures() > 0 && delay.compareTo(MIN_RETRY_DELAY) < 0) {
            delay = MIN_RETRY_DELAY; // even with the backoff switched off, never hammer a failing endpoint
        }
        RefreshScheduler.Cancellable next = scheduler.schedule(delay, this::run);
        RefreshScheduler.Cancellable previous = scheduled.getAndSet(next);
        if (previous != null) {
            previous.cancel();
        }
    }

    private Duration until(Instant instant) {
        if (instant == null) {
            return Duration.ZERO;
        }
        Duration delay = Duration.between(provider.clock().instant(), instant);
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    @Override
    public String toString() {
        return "ScheduledTokenRefresher[" + provider.description() + ", next=" + nextRefreshAt() + "]";
    }

    private record Plan(AccessToken token, Instant due) {
    }
}
