package dev.tokenstarter.token.autoconfigure;

import java.time.Duration;

/**
 * When tokens are fetched and refreshed, how long callers wait, and the backoff after failures.
 * The {@code refresh.*} keys of a client ({@link TokenClientProperties}).
 */
public class RefreshProperties {

    /**
     * How long before expiry a token is refreshed in the background while callers keep using it.
     * Capped at half the token's lifetime.
     */
    private Duration before = Duration.ofSeconds(60);

    /**
     * How long before expiry a token is no longer handed out; callers then wait for a new one. Capped
     * at a quarter of the token's lifetime.
     */
    private Duration expiryMargin = Duration.ofSeconds(5);

    /**
     * Upper bound of the random advance of each scheduled refresh (at most a tenth of the token's
     * lifetime is used), so that instances sharing a token endpoint do not all call it at once.
     */
    private Duration jitter = Duration.ofSeconds(30);

    /**
     * How long a blocking caller (RestClient) waits for a token being fetched.
     */
    private Duration waitTimeout = Duration.ofSeconds(30);

    /**
     * Whether the first token is fetched at startup (in the background, unless fail-fast is on) rather
     * than by the first API call.
     */
    private boolean eager = true;

    /**
     * Whether startup fails when the first token cannot be obtained. Implies an eager fetch.
     */
    private boolean failFast;

    /**
     * Shortest time between two token requests caused by the API rejecting a token (401). An API that
     * rejects fresh tokens too (wrong audience, say) then costs at most one token request per
     * interval; calls in between get the 401. With shared.enabled the limit holds for the whole fleet.
     * Zero for no limit.
     */
    private Duration minRefetchInterval = Duration.ofSeconds(10);

    /**
     * Backoff between failed token requests.
     */
    private final Retry retry = new Retry();

    /** Creates refresh settings with the defaults. */
    public RefreshProperties() {
    }

    /** {@return how long before expiry a token is refreshed in the background} */
    public Duration getBefore() {
        return this.before;
    }

    /** Sets how long before expiry a token is refreshed in the background.
     * @param before the refresh window */
    public void setBefore(Duration before) {
        this.before = before;
    }

    /** {@return how long before expiry a token is no longer handed out} */
    public Duration getExpiryMargin() {
        return this.expiryMargin;
    }

    /** Sets how long before expiry a token is no longer handed out.
     * @param expiryMargin the margin */
    public void setExpiryMargin(Duration expiryMargin) {
        this.expiryMargin = expiryMargin;
    }

    /** {@return the upper bound of the random advance of each scheduled refresh} */
    public Duration getJitter() {
        return this.jitter;
    }

    /** Sets the upper bound of the random advance of each scheduled refresh.
     * @param jitter the bound */
    public void setJitter(Duration jitter) {
        this.jitter = jitter;
    }

    /** {@return how long a blocking caller waits for a token being fetched} */
    public Duration getWaitTimeout() {
        return this.waitTimeout;
    }

    /** Sets how long a blocking caller waits for a token being fetched.
     * @param waitTimeout the timeout */
    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    /** {@return whether the first token is fetched at startup} */
    public boolean isEager() {
        return this.eager;
    }

    /** Sets whether the first token is fetched at startup.
     * @param eager whether to fetch at startup */
    public void setEager(boolean eager) {
        this.eager = eager;
    }

    /** {@return whether startup fails when the first token cannot be obtained} */
    public boolean isFailFast() {
        return this.failFast;
    }

    /** Sets whether startup fails when the first token cannot be obtained.
     * @param failFast whether to fail startup */
    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    /** {@return the shortest time between two token requests caused by a 401; zero for no limit} */
    public Duration getMinRefetchInterval() {
        return this.minRefetchInterval;
    }

    /** Sets the shortest time between two token requests caused by a 401.
     * @param minRefetchInterval the interval; zero for no limit */
    public void setMinRefetchInterval(Duration minRefetchInterval) {
        this.minRefetchInterval = minRefetchInterval;
    }

    /** {@return the backoff between failed token requests} */
    public Retry getRetry() {
        return this.retry;
    }

    /**
     * Exponential backoff with full jitter between failed token requests.
     */
    public static class Retry {

        /**
         * Bound of the delay after the first failure; it doubles with each further failure. 0 disables
         * the backoff, so every caller may start a new token request: not recommended.
         */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /**
         * Largest bound of the delay between attempts.
         */
        private Duration maxBackoff = Duration.ofSeconds(60);

        /** Creates backoff settings with the defaults. */
        public Retry() {
        }

        /** {@return the bound of the delay after the first failure; zero disables the backoff} */
        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        /** Sets the bound of the delay after the first failure.
         * @param initialBackoff the bound; zero disables the backoff */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** {@return the largest bound of the delay between attempts} */
        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        /** Sets the largest bound of the delay between attempts.
         * @param maxBackoff the bound */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }
}
