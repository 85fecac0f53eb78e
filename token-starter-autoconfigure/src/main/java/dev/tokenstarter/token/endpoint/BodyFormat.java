package dev.tokenstarter.token.endpoint;

/**
 * How the token request parameters are encoded.
 */
public enum BodyFormat {

    /** {@code application/x-www-form-urlencoded}, as RFC 6749 requires. */
    FORM,

    /** A JSON object of the parameters, for non-standard endpoints. */
    JSON
}
