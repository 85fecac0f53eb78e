package dev.tokenstarter.token.obo;

import java.time.Instant;
import java.util.function.Supplier;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import dev.tokenstarter.token.TokenUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The users on whose behalf the tests call: bearer-token authentications (the credentials are the token, as
 * with {@code JwtAuthenticationToken}) put into the calling thread's {@code SecurityContext} for one call.
 */
final class Subjects {

    private Subjects() {
    }

    /** A user authenticated by a bearer token that expires at {@code expiresAt}. */
    static Authentication bearer(String token, Instant issuedAt, Instant expiresAt) {
        OAuth2AccessToken credentials = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, issuedAt,
                expiresAt);
        return new TestingAuthenticationToken("user-of-" + token, credentials, "SCOPE_orders");
    }

    /** Makes a call while serving {@code user}'s request: the thread's context holds it, and only for the call. */
    static <T> T as(Authentication user, Supplier<T> call) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(user);
        SecurityContextHolder.setContext(context);
        try {
            return call.get();
        }
        finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The {@link TokenUnavailableException} a call failed with, wherever the client wrapped it. */
    static TokenUnavailableException unavailable(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call's failure").isNotNull();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof TokenUnavailableException unavailable) {
                return unavailable;
            }
        }
        throw new AssertionError("expected a TokenUnavailableException, got " + thrown, thrown);
    }
}
