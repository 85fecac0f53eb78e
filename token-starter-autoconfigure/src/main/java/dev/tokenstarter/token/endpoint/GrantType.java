package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * The OAuth 2.0 grant used to obtain a token.
 */
public enum GrantType {

    /** RFC 6749 §4.4: the client's own credentials. */
    CLIENT_CREDENTIALS("client_credentials"),

    /** RFC 6749 §4.3: a resource owner's username and password. */
    PASSWORD("password"),

    /** RFC 6749 §6: a refresh token (configured, then the rotated ones the endpoint returns). */
    REFRESH_TOKEN("refresh_token"),

    /** RFC 8693: another token (the subject token, and optionally an actor token) is exchanged for one. */
    TOKEN_EXCHANGE("urn:ietf:params:oauth:grant-type:token-exchange"),

    /** RFC 7523 §2.1: a JWT issued by a party the server trusts is presented as the grant. */
    JWT_BEARER("urn:ietf:params:oauth:grant-type:jwt-bearer"),

    /** A non-standard request: no {@code grant_type} is sent unless given as an extra parameter. */
    CUSTOM(null);

    private final @Nullable String parameterValue;

    GrantType(@Nullable String parameterValue) {
        this.parameterValue = parameterValue;
    }

    /** {@return the {@code grant_type} parameter value, or {@code null} for {@link #CUSTOM}} */
    public @Nullable String parameterValue() {
        return parameterValue;
    }

    /** {@return the lower-case name used in metric tags and messages} */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
