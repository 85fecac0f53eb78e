package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Immutable snapshot of a provider's state, for health and metrics. Its {@code toString()} masks the token.
 *
 * @param token the current token, or {@code null} before the first successful fetch
 * @param lastRefresh when the last token was obtained, or {@code null}
 * @param refreshCount how many tokens have been obtained so far
 * @param consecutiveFailures how many fetches failed since the last success
 * @param lastError the message of the last failure (secret-free), or {@code null}
 * @param lastFailure the kind of the last failure, or {@code null}
 * @param nextAttemptAt the earliest time the backoff allows another fetch, or {@code null} when not backing off
 * (for display: the backoff itself runs on a monotonic clock)
 * @param rejections how many tokens the API rejected (401)
 * @param tokenRejected whether {@code token} was rejected or invalidated, so it is no longer handed out
 * (or, while new token requests are held back, only until they are allowed again)
 * @param rejectionStreak how many tokens in a row the API rejected since a call with a token last
 * succeeded: 2 or more means freshly fetched tokens are rejected too
 * @param rejectionsWithoutRefetch how many rejections were answered without a new token request because
 * the limit on refetches held
 * @param lastRejectionAt when the API last rejected a token, or {@code null}
 * @param lastRejectionStatus the HTTP status of that rejection, or 0
 */
public record TokenState(@Nullable AccessToken token, @Nullable Instant lastRefresh, long refreshCount,
        int consecutiveFailures, @Nullable String lastError, @Nullable FailureKind lastFailure,
        @Nullable Instant nextAttemptAt, long rejections, boolean tokenRejected, int rejectionStreak,
        long rejectionsWithoutRefetch, @Nullable Instant lastRejectionAt, int lastRejectionStatus) {

    /** The state before any fetch. */
    public static final TokenState INITIAL = new TokenState(null, null, 0, 0, null, null, null, 0, false, 0, 0, null, 0);

    /**
     * {@return whether a token is held that was not rejected and is still valid at {@code now}}
     *
     * @param now the current time
     */
    public boolean hasValidToken(Instant now) {
        return token != null && !tokenRejected && !token.isExpired(now);
    }

    /** {@return the current token's expiry, or {@code null}} */
    public @Nullable Instant expiresAt() {
        return (token != null) ? token.expiresAt() : null;
    }
}
