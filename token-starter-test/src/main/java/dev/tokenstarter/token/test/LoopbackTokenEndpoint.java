package dev.tokenstarter.token.test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A token endpoint on the loopback interface (127.0.0.1, a free port) for tests, with an API beside it that
 * accepts only the tokens it issued and that are still valid.
 * <p>
 * At {@value #TOKEN_PATH} it answers every request with a new token ({@code token-1}, {@code token-2}, … valid
 * for the configured lifetime) unless a test scripted the next answers ({@link #issueNext}, {@link #respondNext})
 * or switched it into an outage ({@link #switchTo}); a test can also hold requests back unanswered until it
 * {@linkplain #release() releases} them ({@link #holdNextRequest}). It counts and records the requests it
 * receives. Under {@value #API_PATH} it checks the {@code Authorization: Bearer} token of every request: 200 for
 * a {@link TokenStatus#VALID valid} token, 401 otherwise (or always,
 * {@link LoopbackTokenEndpointBuilder#apiRejectsEveryToken}), counted by {@link TokenStatus}.
 * <p>
 * For clients that call APIs on behalf of a user, the endpoint can
 * {@linkplain LoopbackTokenEndpointBuilder#subjectGrants() act for subjects}: it then accepts only the JWT-bearer
 * grant (its {@code assertion}) and token exchange (its {@code subject_token}), and tells which subject each
 * token was issued for ({@link #subjectOf}); it can {@linkplain LoopbackTokenEndpointBuilder#requireParameter
 * require parameters} such as {@code requested_token_use=on_behalf_of}, and
 * {@linkplain LoopbackTokenEndpointBuilder#recordApiRequests() record the API's requests} to show which token each
 * one carried.
 * <pre class="code">
 * try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(2)).start()) {
 *     // token-uri = endpoint.uri(), base-url = endpoint.apiUri()
 *     assertThat(endpoint.apiCalls(TokenStatus.EXPIRED)).isZero();
 * }
 * </pre>
 */
public final class LoopbackTokenEndpoint implements AutoCloseable {

    /** The path tokens are requested at. */
    public static final String TOKEN_PATH = "/token";

    /** The path under which the API accepts valid tokens. */
    public static final String API_PATH = "/api";

    /** How the token path behaves. The API is served in every mode but {@link #REFUSED}. */
    public enum Mode {

        /** Answers: scripted answers first, then a new token per request. */
        UP,

        /** Nothing listens on the port, so connections are refused; the port is kept for when it comes back. */
        REFUSED,

        /** Answers 503 with {@code {"error":"temporarily_unavailable"}}. */
        UNAVAILABLE,

        /** Answers as {@link #UP}, but only after the slow delay (longer than a client's read timeout). */
        SLOW
    }

    private final EndpointCounts counts = new EndpointCounts();

    private final HeldRequests holds = new HeldRequests();

    private final TokenLedger ledger;

    private final TokenGrants grants;

    private final LoopbackServer server;

    LoopbackTokenEndpoint(EndpointSettings settings) {
        this.ledger = new TokenLedger(settings.clock, settings.tokenPrefix, settings.revokeEarlierTokens, counts);
        this.grants = new TokenGrants(ledger, settings.lifetime, settings.rotateRefreshTokens,
                settings.refreshByBearerHeader, new SubjectChecks(settings.subjectGrants, settings.requiredParameters),
                counts);
        TokenPath tokenPath = new TokenPath(grants, holds, settings.latency, settings.slowDelay, counts);
        LoopbackApi api = new LoopbackApi(ledger, settings.apiRejectsEveryToken, settings.recordApiRequests, counts);
        this.server = new LoopbackServer(settings.threads, tokenPath, api);
    }

    /**
     * An endpoint issuing tokens valid for an hour, answering at once.
     * @return the started endpoint
     */
    public static LoopbackTokenEndpoint start() {
        return builder().start();
    }

    /**
     * A builder for an endpoint with other lifetimes, delays, a clock of the test's, or revocation.
     * @return a new builder
     */
    public static LoopbackTokenEndpointBuilder builder() {
        return new LoopbackTokenEndpointBuilder();
    }

    /**
     * Where tokens are requested.
     * @return {@code http://127.0.0.1:<port>/token}
     */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port() + TOKEN_PATH);
    }

    /**
     * The base URL of the API that accepts only valid tokens; every path below it answers alike.
     * @return {@code http://127.0.0.1:<port>/api}
     */
    public URI apiUri() {
        return URI.create("http://127.0.0.1:" + server.port() + API_PATH);
    }

    /**
     * Switches how the token path behaves from the next request on. Switching to {@link Mode#REFUSED} closes
     * the port (and the API with it); switching away from it listens on the same port again.
     * @param next the new mode
     * @throws UncheckedIOException if the port cannot be listened on again
     */
    public void switchTo(Mode next) {
        server.switchTo(next);
    }

    /**
     * The next token request (after the answers scripted before) gets this token, valid for this long.
     * @param token the access token to issue
     * @param lifetime its lifetime, sent as {@code expires_in} in whole seconds
     */
    public void issueNext(String token, Duration lifetime) {
        grants.issueNext(token, lifetime);
    }

    /**
     * The next token request (after the answers scripted before) gets this answer as it is, with
     * {@code Content-Type: application/json}; no token is issued by it.
     * @param status the HTTP status
     * @param body the body
     */
    public void respondNext(int status, String body) {
        grants.respondNext(status, body);
    }

    /**
     * Holds the next token request (after those held already) back, unanswered, until {@link #release()} or
     * {@link #close()}: a client that started a fetch and hangs in it, or dies in it. Once released it is
     * answered as any other request, by the mode it arrived in. It counts as a request when it arrives, and
     * issues its token (revoking earlier ones, if so configured) only when it is answered.
     */
    public void holdNextRequest() {
        holds.holdNext();
    }

    /**
     * How many token requests are held back right now.
     * @return the count
     */
    public int heldRequests() {
        return holds.count();
    }

    /** Answers every token request held back so far; requests still to be held are not affected. */
    public void release() {
        holds.release();
    }

    /**
     * How a token stands now, by the endpoint's clock.
     * @param token the token as presented, without a scheme
     * @return its status; {@link TokenStatus#UNKNOWN} for {@code null}
     */
    public TokenStatus status(@Nullable String token) {
        return ledger.status(token);
    }

    /**
     * Whether the API would accept this token now.
     * @param token the token as presented, without a scheme
     * @return whether its status is {@link TokenStatus#VALID}
     */
    public boolean isValid(@Nullable String token) {
        return status(token) == TokenStatus.VALID;
    }

    /**
     * The token issued last.
     * @return the token, or {@code null} if none was issued yet
     */
    public @Nullable String latestToken() {
        return ledger.latestToken();
    }

    /**
     * The subject a token was issued for, at an endpoint that
     * {@linkplain LoopbackTokenEndpointBuilder#subjectGrants() acts for subjects}: the {@code assertion} of the
     * JWT-bearer grant or the {@code subject_token} of the token exchange that obtained it.
     * @param token the token as presented, without a scheme
     * @return the subject, or {@code null} for a token this endpoint did not issue for a subject
     */
    public @Nullable String subjectOf(String token) {
        return ledger.subjectOf(token);
    }

    /**
     * Revokes one token, as an authorization server does when it is told a token leaked.
     * @param token the token to revoke
     */
    public void revoke(String token) {
        ledger.revoke(token);
    }

    /** Revokes every token issued so far; tokens issued afterwards are valid. */
    public void revokeAll() {
        ledger.revokeAll();
    }

    /**
     * How many token requests arrived, whatever they were answered, since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int requestCount() {
        return counts.requestCount();
    }

    /**
     * How many tokens were issued since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int issuedCount() {
        return counts.issuedCount();
    }

    /**
     * How many token requests presented a refresh token that had been redeemed already (answered
     * {@code invalid_grant}), since the start or {@link #resetCounts()}; with
     * {@link LoopbackTokenEndpointBuilder#rotateRefreshTokens}.
     * @return the count
     */
    public int refreshTokenReuses() {
        return counts.refreshTokenReuses();
    }

    /**
     * How many tokens were issued for a refresh token (the others for the configured grant), since the start
     * or {@link #resetCounts()}; with {@link LoopbackTokenEndpointBuilder#rotateRefreshTokens} or
     * {@link LoopbackTokenEndpointBuilder#refreshByBearerHeader}.
     * @return the count
     */
    public int refreshCount() {
        return counts.refreshCount();
    }

    /**
     * The token requests received since the start or {@link #resetCounts()}, oldest first.
     * @return a copy
     */
    public List<RecordedRequest> requests() {
        return counts.requests();
    }

    /**
     * The API requests received since the start or {@link #resetCounts()}, oldest first; recorded only with
     * {@link LoopbackTokenEndpointBuilder#recordApiRequests()}.
     * @return a copy; empty if the endpoint does not record API requests
     */
    public List<RecordedRequest> apiRequests() {
        return counts.apiRequests();
    }

    /**
     * How many API requests presented a token of this status since the start or {@link #resetCounts()}.
     * @param status the status
     * @return the count
     */
    public int apiCalls(TokenStatus status) {
        return counts.apiCalls(status);
    }

    /**
     * How many API requests arrived since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int apiCalls() {
        return counts.apiCalls();
    }

    /**
     * Sets the counts to zero and forgets the recorded requests. Issued tokens, scripted answers and the mode
     * stay.
     */
    public void resetCounts() {
        counts.reset();
    }

    /** Stops listening, answers held requests (to clients that are usually gone) and interrupts delayed ones. */
    @Override
    public void close() {
        holds.release();
        server.close();
    }
}
