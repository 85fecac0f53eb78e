package dev.tokenstarter.token.internal.endpoint;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.endpoint.GrantType;

/**
 * Watches token requests, e.g. to time them as metrics and traces. The default does nothing.
 */
public interface TokenFetchObserver {

    /** Observes nothing. */
    TokenFetchObserver NONE = new TokenFetchObserver() {
    };

    /**
     * Wraps one token request.
     * @param grantType the grant requested
     * @param request the request, performed when subscribed
     * @return the observed request
     */
    default Mono<AccessToken> observe(GrantType grantType, Mono<AccessToken> request) {
        return request;
    }

    /** A refresh token was rejected and the full grant is requested instead. */
    default void refreshTokenRejected() {
    }
}
