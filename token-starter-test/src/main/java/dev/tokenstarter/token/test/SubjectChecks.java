package dev.tokenstarter.token.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a token request must carry at an endpoint that acts for subjects
 * ({@link LoopbackTokenEndpointBuilder#subjectGrants()}) or requires parameters
 * ({@link LoopbackTokenEndpointBuilder#requireParameter}): the subject of a JWT-bearer grant (its
 * {@code assertion}) or of a token exchange (its {@code subject_token}), and each required parameter. A request
 * without them is refused as an authorization server refuses it.
 */
final class SubjectChecks {

    /** The JWT-bearer grant (RFC 7523 §2.1). */
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** The token exchange grant (RFC 8693). */
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static final Answer UNSUPPORTED_GRANT = new Answer(400, "{\"error\":\"unsupported_grant_type\","
            + "\"error_description\":\"only the jwt-bearer and token-exchange grants, which act for a subject\"}");

    private final boolean subjectGrants;

    private final Map<String, String> required;

    SubjectChecks(boolean subjectGrants, Map<String, String> required) {
        this.subjectGrants = subjectGrants;
        this.required = Map.copyOf(required);
    }

    /**
     * The subject a request asks a token for: its {@code assertion} or {@code subject_token} by its grant, or
     * {@code null} for another grant or when the endpoint does not act for subjects.
     */
    @Nullable String subject(Map<String, String> form) {
        if (!subjectGrants) {
            return null;
        }
        String grant = form.get("grant_type");
        return JWT_BEARER.equals(grant) ? form.get("assertion")
                : TOKEN_EXCHANGE.equals(grant) ? form.get("subject_token") : null;
    }

    /** How a request is refused, or {@code null} if it carries what this endpoint requires. */
    @Nullable Answer refusal(Map<String, String> form) {
        if (subjectGrants) {
            String grant = form.get("grant_type");
            if (!JWT_BEARER.equals(grant) && !TOKEN_EXCHANGE.equals(grant)) {
                return UNSUPPORTED_GRANT;
            }
            String subject = subject(form);
            if (subject == null || subject.isEmpty()) {
                return invalidRequest(JWT_BEARER.equals(grant) ? "assertion is missing" : "subject_token is missing");
            }
        }
        for (Map.Entry<String, String> parameter : required.entrySet()) {
            if (!parameter.getValue().equals(form.get(parameter.getKey()))) {
                return invalidRequest(parameter.getKey() + " must be " + parameter.getValue());
            }
        }
        return null;
    }

    private static Answer invalidRequest(String description) {
        return new Answer(400, "{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}");
    }
}
