package dev.tokenstarter.token.test;

/**
 * What a {@link LoopbackTokenEndpoint} knows of a token presented to it.
 */
public enum TokenStatus {

    /** Issued by the endpoint, not revoked and not yet expired: the API accepts it. */
    VALID,

    /** Issued by the endpoint, but its lifetime has run out by the endpoint's clock. */
    EXPIRED,

    /** Issued by the endpoint, then revoked: by hand, or because a newer token replaced it. */
    REVOKED,

    /** Never issued by the endpoint, or no token at all. */
    UNKNOWN
}
