package dev.tokenstarter.token.endpoint;

import java.time.Instant;
import java.util.Base64;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code exp} claim of a token that is a JWT, without verifying it: it is only used to know when
 * to refresh, never to trust the token.
 */
final class JwtExpiry {

    private JwtExpiry() {
    }

    /** The {@code exp} claim, or {@code null} if the token is not a JWT with a numeric {@code exp}. */
    static Instant of(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return null;
        }
        try {
            JsonNode claims = JsonMapper.shared().readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode exp = (claims != null) ? claims.path("exp") : null;
            if (exp == null || !exp.isNumber() || !exp.canConvertToLong()) {
                return null;
            }
            return Instant.ofEpochSecond(exp.longValue());
        }
        catch (IllegalArgumentException | JacksonException | java.time.DateTimeException ex) {
            return null;
        }
    }
}
