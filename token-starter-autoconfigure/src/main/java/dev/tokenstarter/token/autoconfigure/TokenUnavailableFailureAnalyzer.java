package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.tokenstarter.token.TokenUnavailableException;

/**
 * Explains a startup that failed because no token could be obtained (with {@code refresh.fail-fast} on).
 */
class TokenUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<TokenUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TokenUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), "Check the token endpoint (token-uri) and the client "
                + "credentials of that client, or set its refresh.fail-fast property to false to start without a token "
                + "and keep retrying in the background.", cause);
    }
}
