package dev.tokenstarter.token.internal;

import dev.tokenstarter.token.AccessToken;

/**
 * What {@link CachingTokenProvider} holds: a token with its deadlines in epoch millis, so the hot path compares
 * two longs. Replaced, never mutated.
 *
 * @param refused whether the API rejected it while new token requests were held back: still handed out
 */
record TokenSnapshot(AccessToken token, long refreshAt, long usableUntil, long validUntil, boolean refused) {

    /** A token just obtained, with the deadlines {@code timing} gives it. */
    static TokenSnapshot of(AccessToken token, RefreshTiming timing) {
        return new TokenSnapshot(token, timing.refreshAt(token).toEpochMilli(), timing.usableUntil(token).toEpochMilli(),
                token.expiresAt().toEpochMilli(), false);
    }

    /** The same token, dropped: never handed out again, not even as a last resort. */
    TokenSnapshot dropped() {
        return new TokenSnapshot(token, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, true);
    }

    /** The same token, rejected while new token requests are held back: still handed out. */
    TokenSnapshot keptAfterRejection() {
        return new TokenSnapshot(token, refreshAt, usableUntil, validUntil, true);
    }

    TokenSnapshot accepted() {
        return new TokenSnapshot(token, refreshAt, usableUntil, validUntil, false);
    }

    boolean isDropped() {
        return validUntil == Long.MIN_VALUE;
    }

    boolean holds(AccessToken other) {
        return token == other || token.value().equals(other.value());
    }
}
