package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.endpoint.OAuthErrorException;

/**
 * The exceptions for a token endpoint's error answers: an RFC 6749 §5.2 error with its code and (masked,
 * capped) description, or, for anything else, the status and a description of the body.
 */
final class TokenErrorResponses {

    private TokenErrorResponses() {
    }

    /** The exception for an answer whose status is not 2xx. */
    static TokenFetchException errorFor(RawTokenResponse response) {
        JsonNode root = tryReadObject(response.body());
        if (root != null && root.path("error").isString()) {
            return oauthError(response, root);
        }
        FailureKind kind = (response.status() >= 400 && response.status() < 500) ? FailureKind.CLIENT_ERROR
                : FailureKind.SERVER_ERROR;
        String what = (response.status() >= 300 && response.status() < 400) ? "redirect, not followed"
                : "not an OAuth error response";
        return new TokenFetchException(kind, response.uri(), response.status(),
                what + " (" + response.describeBody() + ")", null);
    }

    /** The exception for an answer whose JSON object has a string {@code error}. */
    static OAuthErrorException oauthError(RawTokenResponse response, JsonNode root) {
        String code = QuotedText.sanitize(root.path("error").stringValue());
        JsonNode description = root.path("error_description");
        // An endpoint may echo what it rejected: mask before the cap, which could cut a secret in two
        return new OAuthErrorException(response.uri(), response.status(), code, description.isString()
                ? QuotedText.sanitize(QuotedText.masked(description.stringValue(), response.secrets())) : null);
    }

    private static @Nullable JsonNode tryReadObject(byte[] body) {
        try {
            JsonNode root = JsonMapper.shared().readTree(body);
            return (root != null && root.isObject()) ? root : null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }
}
