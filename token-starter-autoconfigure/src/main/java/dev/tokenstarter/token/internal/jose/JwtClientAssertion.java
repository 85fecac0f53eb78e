package dev.tokenstarter.token.internal.jose;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.tokenstarter.token.internal.endpoint.ClientAssertion;
import dev.tokenstarter.token.endpoint.SigningAlgorithm;

/**
 * A {@link ClientAssertion} signed with Nimbus JOSE+JWT (RFC 7523 §3): {@code iss} and {@code sub} the
 * client id, {@code aud} the token endpoint (or the configured audience), a random {@code jti}, {@code iat}
 * now and {@code exp} a short lifetime later. Holds the key; prints only the algorithm and key id.
 */
public final class JwtClientAssertion implements ClientAssertion {

    private final JWSSigner signer;

    private final JWSHeader header;

    private final SigningAlgorithm algorithm;

    private final @Nullable String audience;

    private final Duration lifetime;

    private final Clock clock;

    private JwtClientAssertion(JWSSigner signer, SigningAlgorithm algorithm, @Nullable String keyId,
            @Nullable String audience, Duration lifetime, Clock clock) {
        this.signer = signer;
        this.algorithm = algorithm;
        this.header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm.name())).type(JOSEObjectType.JWT)
            .keyID(keyId)
            .build();
        this.audience = audience;
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An assertion signed with a private key ({@code private_key_jwt}).
     * @throws IllegalArgumentException if the key does not fit the algorithm (an RSA key under 2048 bits,
     * an EC key on another curve)
     */
    public static JwtClientAssertion privateKey(PrivateKey key, SigningAlgorithm algorithm, @Nullable String keyId,
            @Nullable String audience, Duration lifetime, Clock clock) {
        JWSSigner signer;
        if ("EC".equals(algorithm.keyType()) && key instanceof ECPrivateKey ec) {
            try {
                signer = new ECDSASigner(ec);
            }
            catch (JOSEException ex) {
                throw new IllegalArgumentException("the EC key's curve is not supported (" + ex.getMessage() + ")");
            }
        }
        else if ("RSA".equals(algorithm.keyType()) && "RSA".equals(key.getAlgorithm())) {
            signer = new RSASSASigner(key); // refuses keys under 2048 bits when signing
        }
        else {
            throw new IllegalArgumentException(algorithm + " needs an " + algorithm.keyType() + " key, not "
                    + key.getAlgorithm());
        }
        return checked(new JwtClientAssertion(signer, algorithm, keyId, audience, lifetime, clock));
    }

    /**
     * An assertion signed with the client secret ({@code client_secret_jwt}).
     * @throws IllegalArgumentException if the secret is shorter than the algorithm needs
     */
    public static JwtClientAssertion clientSecret(String secret, SigningAlgorithm algorithm, @Nullable String keyId,
            @Nullable String audience, Duration lifetime, Clock clock) {
        try {
            return checked(new JwtClientAssertion(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), algorithm,
                    keyId, audience, lifetime, clock));
        }
        catch (JOSEException ex) {
            throw new IllegalArgumentException("the client secret cannot key " + algorithm + " (" + ex.getMessage() + ")");
        }
    }

    /** Signs once, so that a key the signer refuses (too short, wrong curve) fails at startup, not at the first request. */
    private static JwtClientAssertion checked(JwtClientAssertion assertion) {
        if (!assertion.signer.supportedJWSAlgorithms().contains(assertion.header.getAlgorithm())) {
            throw new IllegalArgumentException("the key cannot sign " + assertion.algorithm + " (it can sign "
                    + assertion.signer.supportedJWSAlgorithms() + ")");
        }
        try {
            assertion.sign("startup-check", URI.create("https://localhost/check"));
        }
        catch (JOSEException | RuntimeException ex) {
            // Nimbus's messages describe the key's size or type, never its material
            throw new IllegalArgumentException("the key cannot sign " + assertion.algorithm + " (" + ex.getMessage() + ")");
        }
        return assertion;
    }

    @Override
    public String create(String clientId, URI tokenEndpoint) {
        try {
            return sign(clientId, tokenEndpoint);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("signing the client assertion with " + algorithm + " failed ("
                    + ex.getMessage() + ")");
        }
    }

    private String sign(String clientId, URI tokenEndpoint) throws JOSEException {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId)
            .subject(clientId)
            .audience((audience != null) ? audience : tokenEndpoint.toString())
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Override
    public String toString() {
        return "JwtClientAssertion[" + algorithm + ((header.getKeyID() != null) ? ", kid=" + header.getKeyID() : "") + "]";
    }
}
