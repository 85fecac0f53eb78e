package dev.tokenstarter.token.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key material made at test time: key pairs, their PEM files, and self-signed certificates in PKCS#12
 * key stores (with Bouncy Castle, which MockServer brings). Nothing here is committed.
 */
public final class TestKeys {

    private TestKeys() {
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** @param curve secp256r1, secp384r1 or secp521r1 */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Writes the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) and returns the file. */
    public static Path writePrivateKeyPem(KeyPair keys, Path file) {
        return write(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    public static Path writeCertificatePem(X509Certificate certificate, Path file) {
        try {
            return write(file, pem("CERTIFICATE", certificate.getEncoded()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * A self-signed certificate for {@code keys}, valid for a day, with subject {@code CN=<commonName>} and
     * {@code commonName} as its DNS subject alternative name (so {@code localhost} passes host name checks).
     */
    public static X509Certificate selfSigned(KeyPair keys, String commonName) {
        try {
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            String algorithm = "EC".equals(keys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)))
                .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A PKCS#12 key store holding {@code keys} and a self-signed certificate under {@code alias}. */
    public static Path writePkcs12(KeyPair keys, String alias, String password, Path file) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, keys.getPrivate(), password.toCharArray(),
                    new X509Certificate[] { selfSigned(keys, alias) });
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
