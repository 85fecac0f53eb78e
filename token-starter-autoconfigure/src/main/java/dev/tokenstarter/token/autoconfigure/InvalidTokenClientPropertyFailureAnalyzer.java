package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidTokenClientPropertyException} into startup advice naming the property.
 */
class InvalidTokenClientPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTokenClientPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTokenClientPropertyException cause) {
        return new FailureAnalysis("The token client property '" + cause.property() + "' is invalid: " + cause.reason(),
                cause.action(), cause);
    }
}
