package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenFetchException;

/**
 * How to get a new token: one request (or one refresh-then-fallback sequence) to a token endpoint per
 * subscription. Implementations do no caching; {@link CachingTokenProvider} decides when to call them.
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * Requests a new token.
     * @param previous the token held so far (its refresh token may be used), or {@code null}
     * @return a {@code Mono} that performs the request when subscribed and emits the token, or errors
     * with a {@link TokenFetchException}
     */
    Mono<AccessToken> fetch(@Nullable AccessToken previous);

    /**
     * Requests a new token for a reason; sources that do not care about it (the token endpoint) fetch as
     * {@link #fetch(AccessToken)} does.
     * @param previous the token held so far (its refresh token may be used), or {@code null}
     * @param reason why the token is needed: due, or {@code previous} was rejected
     * @return a {@code Mono} that performs the request when subscribed
     */
    default Mono<AccessToken> fetch(@Nullable AccessToken previous, FetchReason reason) {
        return fetch(previous);
    }
}
