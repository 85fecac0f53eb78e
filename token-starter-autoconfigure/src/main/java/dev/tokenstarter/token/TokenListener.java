package dev.tokenstarter.token;

/**
 * Told about every completed token fetch of a {@link CachingTokenProvider}, e.g. to plan the next
 * scheduled refresh. Called on the thread that completed the fetch: return quickly, never block.
 */
public interface TokenListener {

    /** A new token was obtained. */
    default void onTokenFetched(AccessToken token) {
    }

    /** A fetch failed; {@code state} holds the failure count and the backoff's next attempt time. */
    default void onFetchFailed(Throwable error, TokenState state) {
    }
}
