package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * Hands out a valid access token, fetching or refreshing it as needed.
 */
public interface TokenProvider {

    /**
     * The current token, or a fresh one when the current one is (about to be) expired. The decision is
     * made on each subscription, so a re-subscribed or retried {@code Mono} never replays an old token.
     * Never blocks.
     * @return a {@code Mono} emitting a token that is valid at the moment of subscription
     */
    Mono<AccessToken> token();

    /**
     * The token if one can be handed out right now without waiting, else {@code null}: the same decision
     * {@link #token()} makes when subscribed, for callers that are already running at subscription time and
     * want to skip building a {@code Mono}. May start a background refresh; never blocks. The default says
     * "not ready", which sends callers to {@link #token()}.
     * @return a token valid now, or {@code null}
     */
    default @Nullable AccessToken cachedToken() {
        return null;
    }

    /**
     * Blocking variant of {@link #token()} for servlet and {@code RestClient} code. Returns at once while
     * the cached token is valid; otherwise waits, with a bounded timeout, for the single in-flight fetch.
     * @return a token valid at the moment of the call
     * @throws TokenFetchException if the fetch failed
     * @throws TokenUnavailableException if no token can be obtained now
     */
    AccessToken getToken();

    /**
     * Drops {@code rejected} (e.g. after the API answered 401) so that the next caller fetches a new
     * token. Does nothing if a newer token has already replaced it.
     * @param rejected the token the API refused
     */
    void invalidate(AccessToken rejected);

    /**
     * The API refused a request that carried {@code token} (e.g. 401). Counts the rejection and drops the
     * token, unless an API that keeps rejecting fresh tokens would turn every call into a token request: a
     * provider may then hold new token requests back (at most one per interval) and answer {@code false}.
     * The default drops the token and answers {@code true}.
     * @param token the token the API refused
     * @param status the HTTP status of the refusal
     * @return whether the token was dropped, so that a retry gets a new one
     */
    default boolean rejected(AccessToken token, int status) {
        invalidate(token);
        return true;
    }

    /**
     * The API accepted a request that carried {@code token}: ends a run of rejections. Called for every
     * successful call, so implementations must be cheap. The default does nothing.
     * @param token the token the API accepted
     */
    default void accepted(AccessToken token) {
    }

    /**
     * A snapshot of the provider's state for health and metrics.
     * @return the current state, never {@code null}
     */
    TokenState state();
}
