package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code exp} and {@code iat} claims of a token that is a JWT, read without verifying it: they are only
 * used to know when to refresh, never to trust the token.
 *
 * @param exp the {@code exp} claim
 * @param iat the {@code iat} claim, or {@code null} when absent or not before {@code exp}
 */
record JwtExpiry(Instant exp, @Nullable Instant iat) {

    /** The claims, or {@code null} if the token is not a JWT with a numeric {@code exp}. */
    static @Nullable JwtExpiry of(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return null;
        }
        try {
            JsonNode claims = JsonMapper.shared().readTree(Base64.getUrlDecoder().decode(parts[1]));
            Instant exp = (claims != null) ? epochSeconds(claims.path("exp")) : null;
            if (exp == null) {
                return null;
            }
            Instant iat = epochSeconds(claims.path("iat"));
            boolean plausible = iat != null && iat.isBefore(exp)
                    && Duration.between(iat, exp).toSeconds() <= TokenResponseParser.MAX_LIFETIME_SECONDS;
            return new JwtExpiry(exp, plausible ? iat : null);
        }
        catch (IllegalArgumentException | JacksonException | java.time.DateTimeException ex) {
            return null;
        }
    }

    private static @Nullable Instant epochSeconds(JsonNode claim) {
        return (claim.isNumber() && claim.canConvertToLong()) ? Instant.ofEpochSecond(claim.longValue()) : null;
    }

    /**
     * When the token expires on the local clock, if it was issued at {@code issuedAt} on that clock. With
     * {@code iat}, the lifetime is taken in the issuer's clock ({@code exp - iat}), so a local clock that is
     * ahead of or behind the issuer's does not shorten or stretch it; without, {@code exp} is all there is.
     */
    Instant localExpiry(Instant issuedAt) {
        return (iat != null) ? issuedAt.plus(Duration.between(iat, exp)) : exp;
    }
}
