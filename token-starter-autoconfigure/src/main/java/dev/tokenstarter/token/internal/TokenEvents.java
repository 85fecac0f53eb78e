package dev.tokenstarter.token.internal;

import dev.tokenstarter.token.TokenListener;

/** A provider that tells listeners about its fetches, the tokens it adopts and the tokens the API rejects. */
public interface TokenEvents {

    /**
     * Registers a listener told about every completed fetch, adopted token and rejection.
     * @param listener the listener; it must return quickly and not throw
     */
    void addListener(TokenListener listener);

    /**
     * Removes a listener added before.
     * @param listener the listener
     */
    void removeListener(TokenListener listener);
}
