package dev.tokenstarter.token.internal.obo;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.TokenProvider;

/**
 * A provider whose tokens are the callers' (an on-behalf-of client): its {@link #state()} holds no token
 * (there is one per subject), only how its last token request went, which health reports.
 */
public interface PerCallerTokens extends TokenProvider {

    /** {@return {@code exchange} or {@code relay}, for health details} */
    String mode();

    /** {@return how many subjects have a cache entry now (0 for relay)} */
    long subjects();

    /**
     * {@return {@code exchange}, a WebClient exchange of this provider's token, bound to the user of the calling
     * thread} Its retry after a 401 and its redirect hops run on an event loop, where the thread serves no user;
     * they act for the user of the thread that made the call. A reactive {@code SecurityContext} still wins.
     */
    default <T> Mono<T> forCallingThread(Mono<T> exchange) {
        return IncomingTokens.forCallingThread(exchange);
    }

    /**
     * {@return whether the token is the incoming one itself (relay)} It then never goes on a redirect hop, not
     * even one within the client's destinations: only the request the application made carries it.
     */
    default boolean relayed() {
        return false;
    }
}
