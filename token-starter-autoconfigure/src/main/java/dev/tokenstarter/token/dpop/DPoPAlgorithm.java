package dev.tokenstarter.token.dpop;

/**
 * The JWS algorithms a DPoP key can sign proofs with, each with the JDK signature that computes it.
 */
public enum DPoPAlgorithm {

    /** ECDSA on P-256 with SHA-256: small proofs, the cheapest signature. */
    ES256("ES256", "EC", "SHA256withECDSAinP1363Format", 256),

    /** ECDSA on P-384 with SHA-384. */
    ES384("ES384", "EC", "SHA384withECDSAinP1363Format", 384),

    /** RSASSA-PKCS1-v1_5 with SHA-256 (a key of at least 2048 bits). */
    RS256("RS256", "RSA", "SHA256withRSA", 2048);

    private final String jwsName;

    private final String keyType;

    private final String jdkSignature;

    private final int keyBits;

    DPoPAlgorithm(String jwsName, String keyType, String jdkSignature, int keyBits) {
        this.jwsName = jwsName;
        this.keyType = keyType;
        this.jdkSignature = jdkSignature;
        this.keyBits = keyBits;
    }

    /** {@return the {@code alg} header value} */
    public String jwsName() {
        return jwsName;
    }

    /** {@return the JCA key algorithm: {@code EC} or {@code RSA}} */
    public String keyType() {
        return keyType;
    }

    /**
     * {@return the JCA signature algorithm} For ECDSA the IEEE P1363 form (R || S), which is what JWS wants,
     * so no DER conversion is needed (the JDK has it since 9).
     */
    public String jdkSignature() {
        return jdkSignature;
    }

    /** {@return the curve size for EC, the smallest modulus for RSA} */
    public int keyBits() {
        return keyBits;
    }
}
