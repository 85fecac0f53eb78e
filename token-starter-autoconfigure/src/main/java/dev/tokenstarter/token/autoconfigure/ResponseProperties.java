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

    /** Creates response settings with the standard RFC 6749 field names. */
    public ResponseProperties() {
    }

    /** {@return the field holding the token value} */
    public String getAccessToken() {
        return this.accessToken;
    }

    /** Sets the field holding the token value.
     * @param accessToken the field */
    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    /** {@return the field holding the token type} */
    public String getTokenType() {
        return this.tokenType;
    }

    /** Sets the field holding the token type.
     * @param tokenType the field */
    public void setTokenType(String tokenType) {
        this.tokenType = tokenType;
    }

    /** {@return the field holding the lifetime in seconds} */
    public String getExpiresIn() {
        return this.expiresIn;
    }

    /** Sets the field holding the lifetime in seconds.
     * @param expiresIn the field */
    public void setExpiresIn(String expiresIn) {
        this.expiresIn = expiresIn;
    }

    /** {@return the field holding the absolute expiry, or {@code null} if it is not read} */
    public @Nullable String getExpiresAt() {
        return this.expiresAt;
    }

    /** Sets the field holding the absolute expiry.
     * @param expiresAt the field, or {@code null} not to read it */
    public void setExpiresAt(@Nullable String expiresAt) {
        this.expiresAt = expiresAt;
    }

    /** {@return the field holding the refresh token} */
    public String getRefreshToken() {
        return this.refreshToken;
    }

    /** Sets the field holding the refresh token.
     * @param refreshToken the field */
    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    /** {@return the field holding the granted scopes} */
    public String getScope() {
        return this.scope;
    }

    /** Sets the field holding the granted scopes.
     * @param scope the field */
    public void setScope(String scope) {
        this.scope = scope;
    }

    /** {@return the field holding the server's hint, in seconds, for when to refresh} */
    public String getRefreshIn() {
        return this.refreshIn;
    }

    /** Sets the field holding the server's hint, in seconds, for when to refresh.
     * @param refreshIn the field */
    public void setRefreshIn(String refreshIn) {
        this.refreshIn = refreshIn;
    }

    /** {@return the token type the endpoint must issue; empty accepts any type} */
    public String getRequiredTokenType() {
        return this.requiredTokenType;
    }

    /** Sets the token type the endpoint must issue.
     * @param requiredTokenType the type; empty accepts any type */
    public void setRequiredTokenType(String requiredTokenType) {
        this.requiredTokenType = requiredTokenType;
    }

    /** {@return the lifetime assumed when the response and the token have no expiry} */
    public Duration getDefaultLifetime() {
        return this.defaultLifetime;
    }

    /** Sets the lifetime assumed when the response and the token have no expiry.
     * @param defaultLifetime the lifetime */
    public void setDefaultLifetime(Duration defaultLifetime) {
        this.defaultLifetime = defaultLifetime;
    }
}
