package dev.tokenstarter.token.endpoint;

/**
 * How the client authenticates to the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2, OpenID Connect Core §9, RFC 8705).
 */
public enum ClientAuthMethod {

    /** HTTP Basic with the form-URL-encoded client id and secret. */
    CLIENT_SECRET_BASIC,

    /** {@code client_id} and {@code client_secret} as request parameters. */
    CLIENT_SECRET_POST,

    /** A JWT signed with the client secret (HMAC), created for each request, as {@code client_assertion}. */
    CLIENT_SECRET_JWT,

    /** A JWT signed with the client's private key, created for each request, as {@code client_assertion}. */
    PRIVATE_KEY_JWT,

    /**
     * RFC 8705 §2.1: the client certificate of the TLS connection (a PKI certificate the server checks by its
     * subject) authenticates the client; only {@code client_id} is sent.
     */
    TLS_CLIENT_AUTH,

    /**
     * RFC 8705 §2.2: a self-signed client certificate of the TLS connection, registered with the server,
     * authenticates the client; only {@code client_id} is sent.
     */
    SELF_SIGNED_TLS_CLIENT_AUTH,

    /** Public client: only {@code client_id} is sent (if configured), no secret. */
    NONE;

    /** {@return whether the TLS connection's client certificate authenticates the client (mutual TLS)} */
    public boolean usesClientCertificate() {
        return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    /**
     * {@return whether this method sends a signed {@code client_assertion}} It then needs a key or a secret to sign
     * it (the {@code client-assertion.*} properties).
     */
    public boolean usesClientAssertion() {
        return this == CLIENT_SECRET_JWT || this == PRIVATE_KEY_JWT;
    }
}
