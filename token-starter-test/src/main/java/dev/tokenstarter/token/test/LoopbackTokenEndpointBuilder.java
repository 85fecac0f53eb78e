package dev.tokenstarter.token.test;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint.Mode;

/**
 * Configures a {@link LoopbackTokenEndpoint}: lifetimes, delays, a clock of the test's, revocation, refresh
 * tokens, subjects; {@link #start()} listens. Made by {@link LoopbackTokenEndpoint#builder()}.
 */
public final class LoopbackTokenEndpointBuilder {

    private final EndpointSettings settings = new EndpointSettings();

    LoopbackTokenEndpointBuilder() {
    }

    /**
     * How long issued tokens are valid, sent as {@code expires_in} in whole seconds. One hour unless set.
     * @param lifetime the lifetime
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder lifetime(Duration lifetime) {
        settings.lifetime = lifetime;
        return this;
    }

    /**
     * How long every token answer is held back, standing in for a real authorization server's latency.
     * None unless set.
     * @param latency the delay
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder latency(Duration latency) {
        settings.latency = latency;
        return this;
    }

    /**
     * How long answers are held back in {@link Mode#SLOW}, on top of the latency. Two seconds unless set.
     * @param slowDelay the delay
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder slowDelay(Duration slowDelay) {
        settings.slowDelay = slowDelay;
        return this;
    }

    /**
     * The clock tokens are issued and checked by, for tests that move time by hand. The system clock unless
     * set.
     * @param clock the clock
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder clock(Clock clock) {
        settings.clock = clock;
        return this;
    }

    /**
     * What issued tokens are called before their number: {@code <prefix>-1}, {@code <prefix>-2}, …
     * {@code token} unless set.
     * @param tokenPrefix the prefix
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder tokenPrefix(String tokenPrefix) {
        settings.tokenPrefix = tokenPrefix;
        return this;
    }

    /**
     * Revokes every earlier token when a new one is issued, as authorization servers do that allow one
     * token per client: only the latest token is valid.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder revokeEarlierTokens() {
        settings.revokeEarlierTokens = true;
        return this;
    }

    /**
     * The API answers 401 to every token, valid ones too, as an API does that expects another audience;
     * calls are still counted by the token's {@link TokenStatus}.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder apiRejectsEveryToken() {
        settings.apiRejectsEveryToken = true;
        return this;
    }

    /**
     * Issues a refresh token with every token and accepts each refresh token once, as servers with
     * rotating single-use refresh tokens do: a {@code refresh_token} grant with an unknown or already
     * redeemed refresh token is answered 400 {@code invalid_grant} (reuses are counted,
     * {@link LoopbackTokenEndpoint#refreshTokenReuses()}), any other grant is answered as usual.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder rotateRefreshTokens() {
        settings.rotateRefreshTokens = true;
        return this;
    }

    /**
     * Answers as the API this project was first written for: a token request without an
     * {@code Authorization: Bearer} header is the first token's grant, answered with a token, a refresh
     * token and {@code "token_type":"bearer"} in lower case; a refresh is a request with an empty body and
     * the refresh token as {@code Authorization: Bearer <refresh token>}, by POST; refresh tokens rotate, and a
     * used or unknown one is answered 401 {@code invalid_grant}. A refresh token presented any other way
     * (a {@code refresh_token} parameter, a body beside the header, another method) is answered 401
     * {@code invalid_request}. Implies {@link #rotateRefreshTokens()}.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder refreshByBearerHeader() {
        settings.refreshByBearerHeader = true;
        return this;
    }

    /**
     * Acts for subjects, as an authorization server does for clients that call APIs on behalf of a user:
     * only the JWT-bearer grant ({@code urn:ietf:params:oauth:grant-type:jwt-bearer}, RFC 7523) with an
     * {@code assertion} and token exchange ({@code urn:ietf:params:oauth:grant-type:token-exchange}, RFC 8693)
     * with a {@code subject_token} get a token,
     * issued for that subject ({@link LoopbackTokenEndpoint#subjectOf}); every token is a new one, so each
     * subject's are its own. Any other grant is answered 400 {@code unsupported_grant_type}, a missing
     * subject 400 {@code invalid_request}. Scripted answers come first, as in every mode; a scripted token is
     * issued for the subject of the request it answers.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder subjectGrants() {
        settings.subjectGrants = true;
        return this;
    }

    /**
     * Requires a form parameter on every token request, such as {@code requested_token_use=on_behalf_of} of
     * Entra ID's on-behalf-of flow: a request without it, or with another value, is answered 400
     * {@code invalid_request} (scripted answers come first). Called again with another name, requires that
     * too.
     * @param name the parameter's name
     * @param value the value it must have
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder requireParameter(String name, String value) {
        settings.requiredParameters.put(name, value);
        return this;
    }

    /**
     * Records every API request as it arrives ({@link LoopbackTokenEndpoint#apiRequests()}), to show which
     * token each one carried. Off unless set: a long run would keep every request.
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder recordApiRequests() {
        settings.recordApiRequests = true;
        return this;
    }

    /**
     * How many requests are answered at the same time; the others wait for a thread. As many as arrive
     * unless set.
     * @param threads the number of threads, at least one
     * @return this builder
     */
    public LoopbackTokenEndpointBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        settings.threads = threads;
        return this;
    }

    /**
     * Starts the endpoint.
     * @return the endpoint, listening
     * @throws UncheckedIOException if no port could be listened on
     */
    public LoopbackTokenEndpoint start() {
        return new LoopbackTokenEndpoint(settings);
    }
}
