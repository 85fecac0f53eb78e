package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link UnsupportedSpringBootException} into startup advice: the versions needed and found.
 */
class UnsupportedSpringBootFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedSpringBootException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Upgrade to Spring Boot " + UnsupportedSpringBootException.MINIMUM + " or newer (token-starter's README "
                        + "names the versions it is tested on), or remove token-starter; Spring Boot " + cause.found()
                        + " is not supported.",
                cause);
    }
}
