package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the token response keeps its fields, and how to read it. Each field is a JSON pointer
 * ({@code /data/token}) or a top-level name ({@code access_token}); {@code null} means "not present".
 *
 * @param accessToken the token value (required)
 * @param tokenType the token type
 * @param expiresIn the lifetime in seconds (number or numeric string)
 * @param expiresAt the absolute expiry (epoch seconds or ISO-8601), used when {@code expiresIn} is absent
 * @param refreshToken the refresh token
 * @param scope the granted scopes (space-delimited string or array)
 * @param refreshIn a server hint, in seconds, for when to refresh
 * @param requiredTokenType the token type that must be issued, case-insensitive; {@code null} accepts any
 * @param defaultLifetime the lifetime assumed when neither expiry field nor a JWT {@code exp} claim is present
 */
public record TokenResponseFormat(String accessToken, @Nullable String tokenType, @Nullable String expiresIn,
        @Nullable String expiresAt, @Nullable String refreshToken, @Nullable String scope, @Nullable String refreshIn,
        @Nullable String requiredTokenType, Duration defaultLifetime) {

    /** RFC 6749 §5.1 field names, Bearer required, 5 minutes default lifetime. */
    public static final TokenResponseFormat STANDARD = new TokenResponseFormat("access_token", "token_type",
            "expires_in", null, "refresh_token", "scope", "refresh_in", "Bearer", Duration.ofMinutes(5));

    public TokenResponseFormat {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        if (defaultLifetime.isNegative() || defaultLifetime.isZero()) {
            throw new IllegalArgumentException("defaultLifetime must be positive, got " + defaultLifetime);
        }
    }
}
