package dev.tokenstarter.token;

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
 * @param rejections how many tokens were invalidated because the API rejected them (401)
 */
public record TokenState(AccessToken token, Instant lastRefresh, long refreshCount, int consecutiveFailures,
        String lastError, FailureKind lastFailure, Instant nextAttemptAt, long rejections) {

    /** The state before any fetch. */
    public static final TokenState INITIAL = new TokenState(null, null, 0, 0, null, null, null, 0);

    /** Whether a token is held that is still valid at {@code now}. */
    public boolean hasValidToken(Instant now) {
        return token != null && !token.isExpired(now);
    }

    /** The current token's expiry, or {@code null}. */
    public Instant expiresAt() {
        return (token != null) ? token.expiresAt() : null;
    }

    TokenState succeeded(AccessToken newToken, Instant now) {
        return new TokenState(newToken, now, refreshCount + 1, 0, null, null, null, rejections);
    }

    TokenState failed(Throwable error, Instant nextAttempt) {
        FailureKind kind = (error instanceof TokenFetchException fetchError) ? fetchError.kind() : null;
        return new TokenState(token, lastRefresh, refreshCount, consecutiveFailures + 1,
                String.valueOf(error.getMessage()), kind, nextAttempt, rejections);
    }

    TokenState withRejections(long count) {
        return new TokenState(token, lastRefresh, refreshCount, consecutiveFailures, lastError, lastFailure,
                nextAttemptAt, count);
    }
}
