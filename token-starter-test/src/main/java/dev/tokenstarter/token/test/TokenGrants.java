package dev.tokenstarter.token.test;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * How a token request is answered: with the answers a test scripted first, then with a new token for the
 * grant, redeeming refresh tokens once each when they rotate; at an endpoint that acts for subjects or requires
 * parameters, only a request that carries them gets a token, issued for its subject.
 */
final class TokenGrants {

    private static final Answer INVALID_GRANT = new Answer(400, "{\"error\":\"invalid_grant\"}");

    private static final Answer UNAUTHORIZED_INVALID_GRANT = new Answer(401, "{\"error\":\"invalid_grant\"}");

    private static final Answer BEARER_REFRESH_ONLY = new Answer(401, "{\"error\":\"invalid_request\","
            + "\"error_description\":\"refresh with an empty body and the refresh token as Authorization: Bearer\"}");

    private final TokenLedger ledger;

    private final Duration lifetime;

    private final boolean rotateRefreshTokens;

    private final boolean refreshByBearerHeader;

    private final SubjectChecks checks;

    /** The answers scripted by the test, each given the subject of the request it answers. */
    private final Queue<Function<@Nullable String, Answer>> scripted = new ConcurrentLinkedQueue<>();

    /** Refresh tokens issued and not redeemed yet ({@link LoopbackTokenEndpointBuilder#rotateRefreshTokens}). */
    private final Set<String> unusedRefreshTokens = ConcurrentHashMap.newKeySet();

    /** Refresh tokens redeemed once, so a second redemption is told apart from an unknown token. */
    private final Set<String> usedRefreshTokens = ConcurrentHashMap.newKeySet();

    private final EndpointCounts counts;

    TokenGrants(TokenLedger ledger, Duration lifetime, boolean rotateRefreshTokens, boolean refreshByBearerHeader,
            SubjectChecks checks, EndpointCounts counts) {
        this.ledger = ledger;
        this.checks = checks;
        this.lifetime = lifetime;
        this.refreshByBearerHeader = refreshByBearerHeader;
        this.rotateRefreshTokens = rotateRefreshTokens || refreshByBearerHeader;
        this.counts = counts;
    }

    void issueNext(String token, Duration lifetime) {
        scripted.add((subject) -> issue(token, lifetime, subject));
    }

    void respondNext(int status, String body) {
        scripted.add((subject) -> new Answer(status, body));
    }

    Answer answer(String method, String body, @Nullable String authorization) {
        Map<String, String> form = form(body);
        String subject = checks.subject(form);
        Function<@Nullable String, Answer> script = scripted.poll();
        if (script != null) {
            return script.apply(subject);
        }
        Answer refusal = checks.refusal(form);
        if (refusal != null) {
            return refusal;
        }
        if (refreshByBearerHeader) {
            String bearer = Exchanges.bearerToken(authorization);
            if (bearer == null) {
                // a refresh token presented any other way is refused; anything else is the first token's grant
                return (presentedRefreshToken(form) != null || body.contains("refresh_token")) ? BEARER_REFRESH_ONLY
                        : issue(null, lifetime, subject);
            }
            return ("POST".equals(method) && body.isEmpty()) ? refresh(bearer, UNAUTHORIZED_INVALID_GRANT)
                    : BEARER_REFRESH_ONLY;
        }
        String refreshToken = rotateRefreshTokens ? presentedRefreshToken(form) : null;
        return (refreshToken != null) ? refresh(refreshToken, INVALID_GRANT) : issue(null, lifetime, subject);
    }

    /** A new token for an unused refresh token, which is used up by it; {@code refused} for any other. */
    private Answer refresh(String refreshToken, Answer refused) {
        if (!unusedRefreshTokens.remove(refreshToken)) {
            if (usedRefreshTokens.contains(refreshToken)) {
                counts.refreshTokenReused();
            }
            return refused;
        }
        usedRefreshTokens.add(refreshToken);
        counts.refreshed();
        return issue(null, lifetime, null);
    }

    /** A request body read as a form. */
    private static Map<String, String> form(String body) {
        return new RecordedRequest("POST", LoopbackTokenEndpoint.TOKEN_PATH, Map.of(), body).formParameters();
    }

    /** The refresh token of a {@code refresh_token} grant in a form, or {@code null}. */
    private static @Nullable String presentedRefreshToken(Map<String, String> form) {
        return "refresh_token".equals(form.get("grant_type")) ? form.get("refresh_token") : null;
    }

    private Answer issue(@Nullable String token, Duration lifetime, @Nullable String subject) {
        String issued = ledger.issue(token, lifetime, subject);
        String refreshToken = "";
        if (rotateRefreshTokens) {
            String issuedRefreshToken = "refresh-" + issued;
            unusedRefreshTokens.add(issuedRefreshToken);
            refreshToken = ",\"refresh_token\":\"" + issuedRefreshToken + "\"";
        }
        // the endpoint that refreshes by bearer header answers as the API it stands for: "bearer" in lower case
        String type = refreshByBearerHeader ? "bearer" : "Bearer";
        return new Answer(200, "{\"access_token\":\"" + issued + "\"" + refreshToken + ",\"token_type\":\"" + type
                + "\",\"expires_in\":" + lifetime.toSeconds() + "}");
    }
}
