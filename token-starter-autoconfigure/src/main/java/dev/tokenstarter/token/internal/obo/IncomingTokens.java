package dev.tokenstarter.token.internal.obo;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;

import dev.tokenstarter.token.TokenUnavailableException;

/**
 * Finds the bearer token of the request being served in Spring Security's context: the calling thread's
 * {@link SecurityContextHolder} (a servlet request's thread, a virtual thread it runs on, a WebClient
 * subscribed by {@code block()} on that thread), or, on reactive paths, the {@link ReactiveSecurityContextHolder}
 * of the subscriber (a WebFlux handler), which wins over the thread's. A bearer-token authentication is one
 * whose credentials are the token: {@code JwtAuthenticationToken}, {@code BearerTokenAuthentication}.
 */
final class IncomingTokens {

    /** The Reactor context key of the authentication of the thread that made a WebClient call. */
    private static final String CALLER = IncomingTokens.class.getName() + ".CALLER";

    private final String client;

    private final Clock clock;

    private final long expiryMarginMillis;

    /**
     * @param client the client name, for messages
     * @param clock the clock expiry is judged by
     * @param expiryMargin how long before its expiry a token is no longer acted for
     */
    IncomingTokens(String client, Clock clock, Duration expiryMargin) {
        this.client = client;
        this.clock = clock;
        this.expiryMarginMillis = expiryMargin.toMillis();
    }

    /**
     * The incoming token of the calling thread; its expiry is not checked here (see {@link #requireUnexpired}).
     * @throws TokenUnavailableException when the thread serves no request with a bearer token
     */
    IncomingToken current() {
        return of(SecurityContextHolder.getContext().getAuthentication(), "this thread's SecurityContext");
    }

    /**
     * The incoming token of the subscriber's reactive context, else of the thread that made the call (see
     * {@link #forCallingThread}), else of the subscribing thread.
     */
    Mono<IncomingToken> reactive() {
        return ReactiveSecurityContextHolder.getContext()
            .map((context) -> of(context.getAuthentication(), "the reactive SecurityContext"))
            .switchIfEmpty(Mono.deferContextual((context) -> {
                Authentication caller = context.getOrDefault(CALLER, null);
                return Mono.just((caller != null) ? of(caller, "the SecurityContext of the thread that made the call")
                        : current());
            }));
    }

    /**
     * {@code call} carrying the authentication of the calling thread, if it has one, in its Reactor context:
     * the parts of a WebClient exchange that run later on an event loop (a retry after a 401, a redirect hop)
     * act for the user of the thread that made the call (a servlet request's, subscribing by {@code block()}),
     * not for the event loop's thread, which serves no one.
     */
    static <T> Mono<T> forCallingThread(Mono<T> call) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return (caller != null) ? call.contextWrite(Context.of(CALLER, caller)) : call;
    }

    private IncomingToken of(@Nullable Authentication authentication, String where) {
        if (authentication == null) {
            throw unavailable(where + " has no authentication: the call is not made while serving a request (a "
                    + "scheduled job, a new thread or an @Async method without context propagation has no user to "
                    + "act for)");
        }
        if (!(authentication.getCredentials() instanceof AbstractOAuth2Token token)) {
            throw unavailable("the authentication in " + where + " (" + authentication.getClass().getSimpleName()
                    + ") carries no bearer token; one such as JwtAuthenticationToken or BearerTokenAuthentication does");
        }
        return new IncomingToken(token.getTokenValue(), token.getExpiresAt());
    }

    /**
     * Whether {@code token} may still be acted for at {@code now}: more than the margin before its expiry (a
     * token whose {@code Authentication} does not say when it expires always may). No clock read.
     */
    boolean isUsable(IncomingToken token, long now) {
        Instant expiresAt = token.expiresAt();
        return expiresAt == null || now + expiryMarginMillis < expiresAt.toEpochMilli();
    }

    /**
     * Checks that {@code token} may still be acted for: it has not expired, and does not within the expiry margin.
     * @throws TokenUnavailableException if it may not
     */
    IncomingToken requireUnexpired(IncomingToken token) {
        Instant expiresAt = token.expiresAt();
        long now = clock.millis();
        if (expiresAt != null && now + expiryMarginMillis >= expiresAt.toEpochMilli()) {
            throw unavailable("the incoming token " + ((now >= expiresAt.toEpochMilli()) ? "expired" : "expires") + " at "
                    + expiresAt + ((expiryMarginMillis == 0) ? "" : " (calls stop refresh.expiry-margin, "
                            + expiryMarginMillis + " ms, before it)"));
        }
        return token;
    }

    private TokenUnavailableException unavailable(String reason) {
        return new TokenUnavailableException("No incoming token for client '" + client + "' (on-behalf-of): " + reason
                + "; the client never falls back to the application's own token", null);
    }
}
