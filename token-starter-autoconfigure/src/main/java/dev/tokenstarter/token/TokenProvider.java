package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * Hands out a valid access token, fetching or refreshing it as needed: what applications call. One provider
 * per configured client; find it by client name in {@link TokenClients}, which also takes listeners.
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
     * Drops {@code rejected}, a token the application itself saw the API refuse (e.g. a 401 it got through a
     * client of its own), so that the next caller fetches a new token. That request is made as for a rejected
     * token: with sharing, the fleet replaces the token rather than handing the
     * refused one out again. Does nothing if a newer token has already replaced it, or for {@code null}.
     * @param rejected the token the API refused
     */
    void invalidate(@Nullable AccessToken rejected);

    /**
     * A snapshot of the provider's state for health and metrics.
     * @return the current state, never {@code null}
     */
    TokenState state();
}
