package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

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
}
