package dev.tokenstarter.token.internal.dpop;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.dpop.DPoPAlgorithm;

/**
 * One client's DPoP key pair and what follows from it once: the public JWK, its RFC 7638 thumbprint and
 * the encoded proof header. Signs with the JDK's own {@link Signature}, one instance per thread, so a proof
 * costs the signature and little else. {@link #toString()} shows the algorithm and thumbprint, never the
 * private key.
 */
public final class DPoPKey {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final DPoPAlgorithm algorithm;

    private final PrivateKey privateKey;

    private final String jwk;

    private final String thumbprint;

    /** {@code base64url(header) + "."}, the start of every proof's signing input. */
    private final byte[] headerPrefix;

    private final ThreadLocal<Signature> signers;

    private DPoPKey(DPoPAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.jwk = publicJwk(publicKey);
        this.thumbprint = BASE64URL.encodeToString(sha256(jwk.getBytes(StandardCharsets.UTF_8)));
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"" + algorithm.jwsName() + "\",\"jwk\":" + jwk + "}";
        byte[] encoded = BASE64URL.encode(header.getBytes(StandardCharsets.UTF_8));
        this.headerPrefix = Arrays.copyOf(encoded, encoded.length + 1);
        this.headerPrefix[encoded.length] = '.';
        this.signers = ThreadLocal.withInitial(this::newSigner);
    }

    /** A new key pair for {@code algorithm}, held in memory only. */
    public static DPoPKey generate(DPoPAlgorithm algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyType());
            if ("EC".equals(algorithm.keyType())) {
                generator.initialize(new ECGenParameterSpec((algorithm.keyBits() == 256) ? "secp256r1" : "secp384r1"));
            }
            else {
                generator.initialize(algorithm.keyBits());
            }
            return of(generator.generateKeyPair(), algorithm);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("This JVM cannot generate " + algorithm + " keys", ex);
        }
    }

    /**
     * The private key in the PEM file at {@code location} (PKCS#8, or PKCS#1 RSA / SEC 1 EC); the public key
     * is derived from it.
     * @param location a Spring resource location, e.g. {@code file:/etc/keys/dpop.pem} or {@code classpath:dpop.pem}
     * @param algorithm the algorithm the key must fit
     * @throws InvalidDPoPKeyException if the file cannot be read, holds no private key, or the key does not fit
     */
    public static DPoPKey load(String location, DPoPAlgorithm algorithm) {
        Resource resource = new DefaultResourceLoader().getResource(location);
        PrivateKey key;
        try (InputStream in = resource.getInputStream()) {
            key = PemContent.load(in).getPrivateKey();
        }
        catch (IOException ex) {
            throw new InvalidDPoPKeyException("cannot read " + Secrets.location(location) + " ("
                    + ex.getClass().getSimpleName() + "); set it to a PEM file such as file:/etc/keys/dpop-key.pem");
        }
        catch (RuntimeException ex) {
            // the parser's causes might hold encodings: none of it goes into the message; an invalid location
            // (a key pasted here) fails the same way, unquoted
            if (!resource.exists()) {
                throw new InvalidDPoPKeyException("cannot read " + Secrets.location(location)
                        + "; set it to a PEM file such as file:/etc/keys/dpop-key.pem");
            }
            key = null;
        }
        if (key == null) {
            throw new InvalidDPoPKeyException(Secrets.location(location) + " holds no PEM private key this starter reads (BEGIN "
                    + "PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY, unencrypted)");
        }
        return of(new KeyPair(publicKeyOf(key), key), algorithm);
    }

    /**
     * @throws InvalidDPoPKeyException if the pair is not of {@code algorithm}'s type and size, or its halves do
     * not belong together
     */
    public static DPoPKey of(KeyPair pair, DPoPAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        PrivateKey privateKey = pair.getPrivate();
        if (!algorithm.keyType().equals(privateKey.getAlgorithm())) {
            throw new InvalidDPoPKeyException("the key is an " + privateKey.getAlgorithm() + " key, but " + algorithm
                    + " needs an " + algorithm.keyType() + " key");
        }
        if (privateKey instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() != algorithm.keyBits()) {
            throw new InvalidDPoPKeyException("the key is on a " + ec.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve, but " + algorithm + " needs P-" + algorithm.keyBits());
        }
        if (pair.getPublic() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < algorithm.keyBits()) {
            throw new InvalidDPoPKeyException("the RSA key has " + rsa.getModulus().bitLength() + " bits; " + algorithm
                    + " needs at least " + algorithm.keyBits());
        }
        DPoPKey key = new DPoPKey(algorithm, privateKey, pair.getPublic());
        key.checkPair(pair.getPublic());
        return key;
    }

    public DPoPAlgorithm algorithm() {
        return algorithm;
    }

    /** The public key as a JWK (the members RFC 7638 requires, in its order). */
    public String jwk() {
        return jwk;
    }

    /** The JWK SHA-256 thumbprint (RFC 7638): what a DPoP-bound token's {@code cnf.jkt} holds. */
    public String thumbprint() {
        return thumbprint;
    }

    /**
     * A signed JWT with this key's header and {@code claims}: {@code header.claims.signature}, all base64url.
     * @param claims the claims as JSON
     */
    String sign(String claims) {
        byte[] encodedClaims = BASE64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
        byte[] input = Arrays.copyOf(headerPrefix, headerPrefix.length + encodedClaims.length);
        System.arraycopy(encodedClaims, 0, input, headerPrefix.length, encodedClaims.length);
        byte[] signature = BASE64URL.encode(signature(input));
        byte[] jwt = Arrays.copyOf(input, input.length + 1 + signature.length);
        jwt[input.length] = '.';
        System.arraycopy(signature, 0, jwt, input.length + 1, signature.length);
        return new String(jwt, StandardCharsets.ISO_8859_1);
    }

    private byte[] signature(byte[] input) {
        Signature signer = signers.get();
        try {
            signer.update(input);
            return signer.sign(); // resets it for the next proof on this thread
        }
        catch (GeneralSecurityException ex) {
            signers.remove();
            throw new IllegalStateException(algorithm + " signing failed (" + ex.getClass().getSimpleName() + ")", ex);
        }
    }

    private Signature newSigner() {
        try {
            Signature signer = Signature.getInstance(algorithm.jdkSignature());
            signer.initSign(privateKey);
            return signer;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("This JVM cannot sign " + algorithm, ex);
        }
    }

    /** Signs and verifies once: a loaded key whose derived public half were wrong fails here, at startup. */
    private void checkPair(PublicKey publicKey) {
        byte[] probe = "dpop-key-check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance(algorithm.jdkSignature());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature(probe))) {
                throw new InvalidDPoPKeyException("the public key does not belong to the private key");
            }
        }
        catch (GeneralSecurityException ex) {
            throw new InvalidDPoPKeyException("the key cannot be used for " + algorithm + " ("
                    + ex.getClass().getSimpleName() + ")", ex);
        }
    }

    private static String publicJwk(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            return "{\"crv\":\"P-" + ec.getParams().getCurve().getField().getFieldSize() + "\",\"kty\":\"EC\",\"x\":\""
                    + base64url(ec.getW().getAffineX(), size) + "\",\"y\":\"" + base64url(ec.getW().getAffineY(), size)
                    + "\"}";
        }
        if (key instanceof RSAPublicKey rsa) {
            return "{\"e\":\"" + base64url(rsa.getPublicExponent(), 0) + "\",\"kty\":\"RSA\",\"n\":\""
                    + base64url(rsa.getModulus(), 0) + "\"}";
        }
        throw new InvalidDPoPKeyException("unsupported key type " + key.getAlgorithm());
    }

    /** Unsigned big-endian, left-padded to {@code size} bytes (0: as short as possible). */
    private static String base64url(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length < size) {
            byte[] padded = new byte[size];
            System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
            bytes = padded;
        }
        return BASE64URL.encodeToString(bytes);
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The public half of a private key: RSA from its CRT form, EC by multiplying the curve's generator. */
    private static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                ECParameterSpec params = ec.getParams();
                ECPoint w = multiply(params, params.getGenerator(), ec.getS());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
            }
        }
        catch (GeneralSecurityException ex) {
            throw new InvalidDPoPKeyException("cannot derive the public key (" + ex.getClass().getSimpleName() + ")", ex);
        }
        throw new InvalidDPoPKeyException("unsupported private key type " + key.getAlgorithm()
                + " (use an EC key for ES256/ES384, an RSA key for RS256)");
    }

    /** {@code k·point} by double-and-add in affine coordinates: once per loaded key, so plain beats fast. */
    private static ECPoint multiply(ECParameterSpec params, ECPoint point, BigInteger k) {
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        BigInteger a = params.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = point;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint first, ECPoint second, BigInteger p, BigInteger a) {
        if (first.equals(ECPoint.POINT_INFINITY)) {
            return second;
        }
        if (second.equals(ECPoint.POINT_INFINITY)) {
            return first;
        }
        BigInteger x1 = first.getAffineX();
        BigInteger y1 = first.getAffineY();
        BigInteger x2 = second.getAffineX();
        BigInteger y2 = second.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            slope = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        }
        else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }

    @Override
    public String toString() {
        return "DPoPKey[" + algorithm + ", jkt=" + thumbprint + "]";
    }
}
