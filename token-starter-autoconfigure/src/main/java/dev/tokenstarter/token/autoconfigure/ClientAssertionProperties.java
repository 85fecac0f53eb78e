package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

import dev.tokenstarter.token.endpoint.SigningAlgorithm;

/**
 * The signed JWT a client authenticates with under client-auth-method private-key-jwt (signed with a
 * private key) or client-secret-jwt (signed with the client secret), created for every token request.
 * The {@code client-assertion.*} keys of a client ({@link TokenClientProperties}).
 */
public class ClientAssertionProperties {

    /**
     * Private key signing the assertion, for private-key-jwt: the location of a PEM file (PKCS#8, PKCS#1
     * RSA or SEC 1 EC key), such as file:/etc/keys/client-key.pem, or the PEM text itself. Never logged or
     * shown unmasked.
     */
    private @Nullable String privateKey;

    /**
     * Password of the PEM private key, if it is encrypted. Never logged or shown unmasked.
     */
    private @Nullable String privateKeyPassword;

    /**
     * Name of an SSL bundle (spring.ssl.bundle.*) whose key store holds the private key, instead of
     * private-key; the bundle's key.alias and key.password select the entry.
     */
    private @Nullable String sslBundle;

    /**
     * Signature algorithm. Default: RS256 for an RSA key, ES256, ES384 or ES512 by the curve of an EC key,
     * HS256 for client-secret-jwt.
     */
    private @Nullable SigningAlgorithm algorithm;

    /**
     * Key id sent as the assertion's kid header, so that the server picks the key from the client's JWK set.
     */
    private @Nullable String keyId;

    /**
     * The assertion's aud claim. Default: the token endpoint URL. Some servers want their issuer instead.
     */
    private @Nullable String audience;

    /**
     * How long each assertion is valid: its exp is this long after its iat.
     */
    private Duration lifetime = Duration.ofSeconds(60);

    /** Creates client assertion settings with the defaults. */
    public ClientAssertionProperties() {
    }

    /** {@return the private key signing the assertion, a PEM file's location or the PEM text, or {@code null}} */
    public @Nullable String getPrivateKey() {
        return this.privateKey;
    }

    /** Sets the private key signing the assertion.
     * @param privateKey a PEM file's location or the PEM text */
    public void setPrivateKey(@Nullable String privateKey) {
        this.privateKey = privateKey;
    }

    /** {@return the password of the encrypted PEM private key, or {@code null}} */
    public @Nullable String getPrivateKeyPassword() {
        return this.privateKeyPassword;
    }

    /** Sets the password of the encrypted PEM private key.
     * @param privateKeyPassword the password */
    public void setPrivateKeyPassword(@Nullable String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    /** {@return the name of the SSL bundle whose key store holds the private key, or {@code null}} */
    public @Nullable String getSslBundle() {
        return this.sslBundle;
    }

    /** Sets the name of the SSL bundle whose key store holds the private key.
     * @param sslBundle the bundle name */
    public void setSslBundle(@Nullable String sslBundle) {
        this.sslBundle = sslBundle;
    }

    /** {@return the signature algorithm, or {@code null} for the default of the key or secret} */
    public @Nullable SigningAlgorithm getAlgorithm() {
        return this.algorithm;
    }

    /** Sets the signature algorithm.
     * @param algorithm the algorithm, or {@code null} for the default */
    public void setAlgorithm(@Nullable SigningAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** {@return the key id sent as the assertion's kid header, or {@code null}} */
    public @Nullable String getKeyId() {
        return this.keyId;
    }

    /** Sets the key id sent as the assertion's kid header.
     * @param keyId the key id */
    public void setKeyId(@Nullable String keyId) {
        this.keyId = keyId;
    }

    /** {@return the assertion's aud claim, or {@code null} for the token endpoint URL} */
    public @Nullable String getAudience() {
        return this.audience;
    }

    /** Sets the assertion's aud claim.
     * @param audience the audience, or {@code null} for the token endpoint URL */
    public void setAudience(@Nullable String audience) {
        this.audience = audience;
    }

    /** {@return how long each assertion is valid} */
    public Duration getLifetime() {
        return this.lifetime;
    }

    /** Sets how long each assertion is valid.
     * @param lifetime the lifetime */
    public void setLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }
}
