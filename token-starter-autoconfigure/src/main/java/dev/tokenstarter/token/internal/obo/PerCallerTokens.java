package dev.tokenstarter.token.internal.obo;

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
}
