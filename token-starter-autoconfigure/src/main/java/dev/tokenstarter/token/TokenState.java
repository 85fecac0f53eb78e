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

    /** Whether a token is held that was not rejected and is still valid at {@code now}. */
    public boolean hasValidToken(Instant now) {
        return token != null && !tokenRejected && !token.isExpired(now);
    }

    /** The current token's expiry, or {@code null}. */
    public @Nullable Instant expiresAt() {
        return (token != null) ? token.expiresAt() : null;
    }

    /** After a successful fetch; the token itself is held by the provider and added by {@link #with}. */
    TokenState succeeded(Instant now) {
        return new TokenState(null, now, refreshCount + 1, 0, null, null, null, rejections, false, rejectionStreak,
                rejectionsWithoutRefetch, lastRejectionAt, lastRejectionStatus);
    }

    TokenState failed(Throwable error, Instant nextAttempt) {
        FailureKind kind = (error instanceof TokenFetchException fetchError) ? fetchError.kind() : null;
        return new TokenState(token, lastRefresh, refreshCount, consecutiveFailures + 1, String.valueOf(error.getMessage()),
                kind, nextAttempt, rejections, tokenRejected, rejectionStreak, rejectionsWithoutRefetch, lastRejectionAt,
                lastRejectionStatus);
    }

    TokenState with(@Nullable AccessToken current, ApiRejections api, boolean rejected) {
        return new TokenState(current, lastRefresh, refreshCount, consecutiveFailures, lastError, lastFailure,
                nextAttemptAt, api.total(), rejected, api.streak(), api.withoutRefetch(), api.lastAt(), api.lastStatus());
    }

    /**
     * The API's rejections of a provider's tokens.
     *
     * @param total tokens rejected
     * @param streak tokens rejected in a row since a call with a token last succeeded
     * @param withoutRefetch rejections answered without a new token request
     * @param lastAt when the last rejection happened, or {@code null}
     * @param lastStatus its HTTP status, or 0
     */
    record ApiRejections(long total, int streak, long withoutRefetch, @Nullable Instant lastAt, int lastStatus) {

        static final ApiRejections NONE = new ApiRejections(0, 0, 0, null, 0);

        ApiRejections rejected(boolean newToken, boolean refetch, Instant at, int status) {
            return new ApiRejections(total + (newToken ? 1 : 0), streak + (newToken ? 1 : 0),
                    withoutRefetch + (refetch ? 0 : 1), at, status);
        }

        ApiRejections accepted() {
            return new ApiRejections(total, 0, withoutRefetch, lastAt, lastStatus);
        }
    }
}
