package dev.tokenstarter.token.internal;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;

/**
 * What the web adapters tell a provider about the API's answers: a token refused (401) or accepted. Kept off
 * {@link TokenProvider}, which holds what applications call.
 */
public interface TokenFeedback {

    /**
     * The API refused a request that carried {@code token} (e.g. 401). Counts the rejection and drops the
     * token, unless an API that keeps rejecting fresh tokens would turn every call into a token request: a
     * provider may then hold new token requests back (at most one per interval) and answer {@code false}.
     * @param token the token the API refused
     * @param status the HTTP status of the refusal
     * @return whether the token was dropped, so that a retry gets a new one
     */
    boolean rejected(AccessToken token, int status);

    /**
     * The API accepted a request that carried {@code token}: ends a run of rejections. Called for every
     * successful call, so implementations must be cheap.
     * @param token the token the API accepted
     */
    void accepted(AccessToken token);

    /**
     * The feedback of {@code provider}: the provider itself when it takes feedback (the starter's do), else one
     * that drops a refused token through {@link TokenProvider#invalidate} and ignores acceptances.
     * @param provider a client's provider, the starter's or an application's own
     * @return where the adapters report the API's answers
     */
    static TokenFeedback of(TokenProvider provider) {
        if (provider instanceof TokenFeedback feedback) {
            return feedback;
        }
        return new TokenFeedback() {

            @Override
            public boolean rejected(AccessToken token, int status) {
                provider.invalidate(token);
                return true;
            }

            @Override
            public void accepted(AccessToken token) {
            }
        };
    }
}
