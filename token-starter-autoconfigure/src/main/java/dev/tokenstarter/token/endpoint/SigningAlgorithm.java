package dev.tokenstarter.token.endpoint;

/**
 * The JWS algorithms a client assertion can be signed with (RFC 7518 §3.1), and the key each needs.
 */
public enum SigningAlgorithm {

    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256("RSA", 256),

    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RS384("RSA", 384),

    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RS512("RSA", 512),

    /** RSASSA-PSS with SHA-256. */
    PS256("RSA", 256),

    /** RSASSA-PSS with SHA-384. */
    PS384("RSA", 384),

    /** RSASSA-PSS with SHA-512. */
    PS512("RSA", 512),

    /** ECDSA on P-256 with SHA-256. */
    ES256("EC", 256),

    /** ECDSA on P-384 with SHA-384. */
    ES384("EC", 384),

    /** ECDSA on P-521 with SHA-512. */
    ES512("EC", 521),

    /** HMAC with SHA-256, keyed with the client secret. */
    HS256("HMAC", 256),

    /** HMAC with SHA-384, keyed with the client secret. */
    HS384("HMAC", 384),

    /** HMAC with SHA-512, keyed with the client secret. */
    HS512("HMAC", 512);

    private final String keyType;

    private final int bits;

    SigningAlgorithm(String keyType, int bits) {
        this.keyType = keyType;
        this.bits = bits;
    }

    /** {@return {@code RSA}, {@code EC} (the JCA key algorithm names) or {@code HMAC}} */
    public String keyType() {
        return keyType;
    }

    /** {@return whether the client secret is the key ({@code client_secret_jwt})} */
    public boolean isMac() {
        return "HMAC".equals(keyType);
    }

    /**
     * {@return the size that matters for the key, in bits} The hash size for RSA (any key of 2048 bits or more),
     * the curve's field size for EC (256, 384, 521), the smallest secret in bits for HMAC (RFC 7518 §3.2).
     */
    public int bits() {
        return bits;
    }
}
