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

    public Duration getBefore() {
        return this.before;
    }

    public void setBefore(Duration before) {
        this.before = before;
    }

    public Duration getExpiryMargin() {
        return this.expiryMargin;
    }

    public void setExpiryMargin(Duration expiryMargin) {
        this.expiryMargin = expiryMargin;
    }

    public Duration getJitter() {
        return this.jitter;
    }

    public void setJitter(Duration jitter) {
        this.jitter = jitter;
    }

    public Duration getWaitTimeout() {
        return this.waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public boolean isEager() {
        return this.eager;
    }

    public void setEager(boolean eager) {
        this.eager = eager;
    }

    public boolean isFailFast() {
        return this.failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public Duration getMinRefetchInterval() {
        return this.minRefetchInterval;
    }

    public void setMinRefetchInterval(Duration minRefetchInterval) {
        this.minRefetchInterval = minRefetchInterval;
    }

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

        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }
}
