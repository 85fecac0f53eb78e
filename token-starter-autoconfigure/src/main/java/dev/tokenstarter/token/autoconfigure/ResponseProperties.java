package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Field mapping of the token response, as JSON pointers (/data/token) or top-level names, and the
 * lifetime assumed when the response has none.
 * The {@code response.*} keys of a client ({@link TokenClientProperties}).
 */
public class ResponseProperties {

    /**
     * Field holding the token value.
     */
    private String accessToken = "access_token";

    /**
     * Field holding the token type.
     */
    private String tokenType = "token_type";

    /**
     * Field holding the lifetime in seconds (a number or a numeric string).
     */
    private String expiresIn = "expires_in";

    /**
     * Field holding the absolute expiry (epoch seconds or ISO-8601), read when expires-in is absent.
     * Empty: not read.
     */
    private @Nullable String expiresAt;

    /**
     * Field holding the refresh token.
     */
    private String refreshToken = "refresh_token";

    /**
     * Field holding the granted scopes.
     */
    private String scope = "scope";

    /**
     * Field holding a server hint, in seconds, for when to refresh; the earlier of it and the refresh
     * window wins.
     */
    private String refreshIn = "refresh_in";

    /**
     * Token type the endpoint must issue, case-insensitive. Empty accepts any type.
     */
    private String requiredTokenType = "Bearer";

    /**
     * Lifetime assumed when the token response has no expiry and the token is not a JWT with an exp
     * claim.
     */
    private Duration defaultLifetime = Duration.ofMinutes(5);

    public String getAccessToken() {
        return this.accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public String getTokenType() {
        return this.tokenType;
    }

    public void setTokenType(String tokenType) {
        this.tokenType = tokenType;
    }

    public String getExpiresIn() {
        return this.expiresIn;
    }

    public void setExpiresIn(String expiresIn) {
        this.expiresIn = expiresIn;
    }

    public @Nullable String getExpiresAt() {
        return this.expiresAt;
    }

    public void setExpiresAt(@Nullable String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getRefreshToken() {
        return this.refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public String getScope() {
        return this.scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getRefreshIn() {
        return this.refreshIn;
    }

    public void setRefreshIn(String refreshIn) {
        this.refreshIn = refreshIn;
    }

    public String getRequiredTokenType() {
        return this.requiredTokenType;
    }

    public void setRequiredTokenType(String requiredTokenType) {
        this.requiredTokenType = requiredTokenType;
    }

    public Duration getDefaultLifetime() {
        return this.defaultLifetime;
    }

    public void setDefaultLifetime(Duration defaultLifetime) {
        this.defaultLifetime = defaultLifetime;
    }
}
