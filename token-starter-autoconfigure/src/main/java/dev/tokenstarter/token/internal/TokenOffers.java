package dev.tokenstarter.token.internal;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenListener;

/**
 * What sharing needs of a client's provider: tokens obtained elsewhere (another instance's) are offered to it,
 * and it tells listeners about its own fetches and about the tokens the API rejected.
 */
public interface TokenOffers extends TokenEvents {

    /**
     * Offers a token obtained elsewhere. It replaces the current one only if that is missing, dropped or
     * rejected, or expires earlier; listeners are told as for a fetched token.
     * @param token the token
     * @return whether it was adopted
     */
    boolean offer(AccessToken token);


}
