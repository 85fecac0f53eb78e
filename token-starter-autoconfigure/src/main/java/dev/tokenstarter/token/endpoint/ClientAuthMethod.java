package dev.tokenstarter.token.endpoint;

/**
 * How the client authenticates to the token endpoint (RFC 6749 §2.3.1).
 */
public enum ClientAuthMethod {

    /** HTTP Basic with the form-URL-encoded client id and secret. */
    CLIENT_SECRET_BASIC,

    /** {@code client_id} and {@code client_secret} as request parameters. */
    CLIENT_SECRET_POST,

    /** Public client: only {@code client_id} is sent (if configured), no secret. */
    NONE
}
