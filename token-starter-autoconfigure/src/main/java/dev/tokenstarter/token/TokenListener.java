package dev.tokenstarter.token;

/**
 * Told about every completed token fetch of a client's provider (and every token it adopts from another
 * instance that shares it), e.g. to plan the next scheduled refresh, and about
 * tokens the API rejected. Called on the thread that completed the fetch: return quickly, never block.
 */
public interface TokenListener {

    /**
     * A new token was obtained.
     *
     * @param token the token
     */
    default void onTokenFetched(AccessToken token) {
    }

    /**
     * A fetch failed.
     *
     * @param error why it failed
     * @param state the provider's state, with the failure count and the backoff's next attempt time
     */
    default void onFetchFailed(Throwable error, TokenState state) {
    }

    /**
     * The API rejected {@code token} (e.g. 401), the first time it did; called before the provider fetches
     * a new token for that reason.
     *
     * @param token the rejected token
     * @param status the HTTP status the API answered with
     */
    default void onTokenRejected(AccessToken token, int status) {
    }

    /**
     * The API accepted {@code token} after one or more rejections: the run of rejections ended. Called on the
     * caller's thread, once per run, never for the calls in between: return at once.
     *
     * @param token the accepted token
     */
    default void onRejectionsEnded(AccessToken token) {
    }
}
