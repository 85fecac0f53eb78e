package dev.tokenstarter.token.internal;

import dev.tokenstarter.token.TokenProvider;

/**
 * Why a {@link CachingTokenProvider} asks its {@link TokenSource} for a token, so that a source in front of
 * the token endpoint (a fleet's shared token) can tell a refetch after a rejection from a refresh that was
 * due anyway instead of guessing it from the token's age.
 */
public enum FetchReason {

    /** The first token, a scheduled or ahead-of-expiry refresh, or an expired token. */
    DUE,

    /**
     * The token to replace was rejected: the API answered 401 to it, or the application
     * {@linkplain TokenProvider#invalidate invalidated} it.
     */
    REJECTED
}
