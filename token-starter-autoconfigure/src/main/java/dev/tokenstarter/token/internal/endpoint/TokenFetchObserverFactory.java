package dev.tokenstarter.token.internal.endpoint;

/**
 * Hands out the {@link TokenFetchObserver} of each named client, e.g. one that records metrics.
 */
@FunctionalInterface
public interface TokenFetchObserverFactory {

    /** Observes nothing for any client. */
    TokenFetchObserverFactory NONE = (client) -> TokenFetchObserver.NONE;

    /** The observer for the client called {@code client}. */
    TokenFetchObserver forClient(String client);
}
