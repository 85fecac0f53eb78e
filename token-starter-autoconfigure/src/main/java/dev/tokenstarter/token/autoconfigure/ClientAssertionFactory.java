package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Collections;
import java.util.Locale;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.internal.endpoint.ClientAssertion;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.SigningAlgorithm;

/**
 * Builds a client's {@link ClientAssertion} from its {@code client-assertion.*} properties: loads the private
 * key (a PEM file or text, or an SSL bundle's key store), picks or checks the algorithm, and hands both to
 * the Nimbus-based signer, which is loaded only here and only when Nimbus JOSE+JWT is on the class path.
 * Every problem is an {@link InvalidTokenClientPropertyException} naming the property, never the key.
 */
final class ClientAssertionFactory {

    /** A class of Nimbus JOSE+JWT: when it is missing, so is the library. */
    static final String NIMBUS_CLASS = "com.nimbusds.jose.JWSSigner";

    private ClientAssertionFactory() {
    }

    /**
     * @return the assertion, or {@code null} when the client's method sends none
     */
    static @Nullable ClientAssertion create(BeanFactory beanFactory, TokenClientsRegistrar.Client client, Clock clock) {
        TokenClientProperties properties = client.properties();
        ClientAuthMethod method = properties.getClientAuthMethod();
        if (!method.usesClientAssertion()) {
            return null;
        }
        String prefix = client.prefix();
        String methodName = method.name().toLowerCase(Locale.ROOT);
        ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
                ? configurable.getBeanClassLoader() : ClientAssertionFactory.class.getClassLoader();
        if (!ClassUtils.isPresent(NIMBUS_CLASS, classLoader)) {
            throw new InvalidTokenClientPropertyException(prefix + ".client-auth-method", methodName + " signs a JWT "
                    + "with Nimbus JOSE+JWT, which is not on the class path", "Add the dependency "
                            + "com.nimbusds:nimbus-jose-jwt (for instance <dependency><groupId>com.nimbusds</groupId>"
                            + "<artifactId>nimbus-jose-jwt</artifactId></dependency>, version 10.9.1 or newer), or choose "
                            + "client-secret-basic or client-secret-post.");
        }
        ClientAssertionProperties settings = properties.getClientAssertion();
        if (method == ClientAuthMethod.CLIENT_SECRET_JWT) {
            SigningAlgorithm algorithm = (settings.getAlgorithm() != null) ? settings.getAlgorithm() : SigningAlgorithm.HS256;
            String secret = properties.getClientSecret();
            Assert.state(secret != null, () -> prefix + ".client-secret is required with client_secret_jwt (checked by "
                    + "TokenClientPropertiesValidator)");
            try {
                return Signers.clientSecret(secret, algorithm, settings, clock);
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidTokenClientPropertyException(prefix + ".client-secret", String.valueOf(ex.getMessage()),
                        "Use a client secret of at least " + (algorithm.bits() / 8) + " bytes for " + algorithm
                                + " (RFC 7518 §3.2): register a longer one at the server.");
            }
        }
        LoadedKey loaded = StringUtils.hasText(settings.getSslBundle())
                ? fromBundle(beanFactory, prefix + ".client-assertion.ssl-bundle", settings.getSslBundle().trim())
                : fromPem(prefix + ".client-assertion.private-key", settings);
        SigningAlgorithm algorithm = (settings.getAlgorithm() != null) ? settings.getAlgorithm()
                : defaultAlgorithm(loaded, prefix);
        checkFits(loaded, algorithm, prefix);
        try {
            return Signers.privateKey(loaded.key(), algorithm, settings, clock);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidTokenClientPropertyException(loaded.property(), String.valueOf(ex.getMessage()),
                    "Use an RSA key of 2048 bits or more, or an EC key on P-256, P-384 or P-521, that fits "
                            + prefix + ".client-assertion.algorithm.");
        }
    }

    private static LoadedKey fromPem(String property, ClientAssertionProperties settings) {
        String privateKey = settings.getPrivateKey();
        Assert.state(privateKey != null, () -> property + " or the ssl-bundle beside it is required with private_key_jwt "
                + "(checked by TokenClientPropertiesValidator)");
        String value = privateKey.trim();
        PemContent pem;
        String where;
        if (PemContent.isPresentInText(value)) {
            where = "the PEM text";
            pem = PemContent.of(value);
        }
        else {
            // Not PEM text, so taken for a location. It is quoted only once it has been read as one: a key
            // without PEM armour (base64 DER, or base64 of the PEM as Kubernetes secret data holds it) is no
            // location and must not end up in a message.
            try (InputStream in = ApplicationResourceLoader.get().getResource(value).getInputStream()) {
                pem = PemContent.load(in);
            }
            catch (IOException | RuntimeException ex) {
                throw new InvalidTokenClientPropertyException(property, "it is not PEM text (no -----BEGIN PRIVATE KEY----- "
                        + "block), and as a location " + Secrets.location(value) + " cannot be read ("
                        + ex.getClass().getSimpleName() + ")", "Set it to the PEM text of the key, or to a readable file "
                                + "such as file:/etc/keys/client-key.pem; a base64 key without PEM armour needs its "
                                + "-----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines (Kubernetes secret "
                                + "data is base64 of the file: mount the secret as a file instead).");
            }
            where = "the file '" + value + "'";
        }
        PrivateKey key;
        try {
            key = (pem != null) ? pem.getPrivateKey(settings.getPrivateKeyPassword()) : null;
        }
        catch (RuntimeException ex) {
            // Boot's PEM parser names the format it expected, never the key's content
            throw new InvalidTokenClientPropertyException(property, where + " holds no private key that can be read ("
                    + ex.getMessage() + ")", "Use a PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA or SEC 1 EC key; if it is "
                            + "encrypted, set client-assertion.private-key-password.");
        }
        if (key == null) {
            throw new InvalidTokenClientPropertyException(property, where + " contains no private key (only "
                    + "certificates, or nothing in PEM form)", "Use the file with the BEGIN PRIVATE KEY block.");
        }
        return new LoadedKey(key, property);
    }

    private static LoadedKey fromBundle(BeanFactory beanFactory, String property, String name) {
        SslBundles bundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
        String action = "Define the bundle with a key store, e.g. spring.ssl.bundle.jks." + name + ".keystore.location="
                + "file:/etc/keys/client.p12 and .keystore.password, or correct " + property + ".";
        if (bundles == null) {
            throw new InvalidTokenClientPropertyException(property, "it names SSL bundle '" + name + "', but the "
                    + "application has no SSL bundles (no SslBundles bean: SslAutoConfiguration is not active)", action);
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidTokenClientPropertyException(property, "there is no SSL bundle named '" + name
                    + "' (configured bundles: " + bundles.getBundleNames() + ")", action);
        }
        KeyStore store = bundle.getStores().getKeyStore();
        if (store == null) {
            throw new InvalidTokenClientPropertyException(property, "SSL bundle '" + name + "' has no key store",
                    action);
        }
        String alias = bundle.getKey().getAlias();
        String password = (bundle.getKey().getPassword() != null) ? bundle.getKey().getPassword()
                : bundle.getStores().getKeyStorePassword();
        try {
            if (alias == null) {
                alias = Collections.list(store.aliases()).stream().filter((candidate) -> isKey(store, candidate))
                    .findFirst().orElse(null);
            }
            Key key = (alias != null) ? store.getKey(alias, (password != null) ? password.toCharArray() : new char[0]) : null;
            if (key instanceof PrivateKey privateKey) {
                return new LoadedKey(privateKey, property);
            }
            throw new InvalidTokenClientPropertyException(property, "the key store of SSL bundle '" + name + "' has no "
                    + "private key" + ((alias != null) ? " under alias '" + alias + "'" : ""), "Set spring.ssl.bundle.*."
                            + name + ".key.alias to the entry holding the private key.");
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new InvalidTokenClientPropertyException(property, "the private key in SSL bundle '" + name
                    + "' cannot be read (" + ex.getClass().getSimpleName() + ")", "Check spring.ssl.bundle.*." + name
                            + ".key.password (or the key store password).");
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        }
        catch (java.security.KeyStoreException ex) {
            return false;
        }
    }

    private static SigningAlgorithm defaultAlgorithm(LoadedKey loaded, String prefix) {
        if (loaded.key() instanceof ECPrivateKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 384 -> SigningAlgorithm.ES384;
                case 521 -> SigningAlgorithm.ES512;
                default -> SigningAlgorithm.ES256;
            };
        }
        if ("RSA".equals(loaded.key().getAlgorithm())) {
            return SigningAlgorithm.RS256;
        }
        throw new InvalidTokenClientPropertyException(loaded.property(), "it is a " + loaded.key().getAlgorithm()
                + " key; client assertions are signed with RSA or EC keys", "Use an RSA or EC private key.");
    }

    private static void checkFits(LoadedKey loaded, SigningAlgorithm algorithm, String prefix) {
        String type = loaded.key().getAlgorithm();
        if (!algorithm.keyType().equals(type)) {
            throw new InvalidTokenClientPropertyException(prefix + ".client-assertion.algorithm", algorithm + " needs an "
                    + algorithm.keyType() + " key, but " + loaded.property() + " holds an " + type + " key",
                    "Use " + ("EC".equals(type) ? "ES256, ES384 or ES512" : "RS256 or PS256") + " with this key, or a "
                            + algorithm.keyType() + " key.");
        }
        if (loaded.key() instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() != algorithm.bits()) {
            throw new InvalidTokenClientPropertyException(prefix + ".client-assertion.algorithm", algorithm + " needs an EC "
                    + "key on P-" + algorithm.bits() + ", but the key is on a curve of "
                    + ec.getParams().getCurve().getField().getFieldSize() + " bits", "Use "
                            + defaultAlgorithm(loaded, prefix) + " with this key, or leave the algorithm unset.");
        }
    }

    private record LoadedKey(PrivateKey key, String property) {

        @Override
        public String toString() {
            return "LoadedKey[" + key.getAlgorithm() + ", " + property + "]";
        }
    }

    /** The only references to the Nimbus-based class: loaded when one of these runs, after the check above. */
    private static final class Signers {

        static ClientAssertion clientSecret(String secret, SigningAlgorithm algorithm,
                ClientAssertionProperties settings, Clock clock) {
            return dev.tokenstarter.token.internal.jose.JwtClientAssertion.clientSecret(secret, algorithm, settings.getKeyId(),
                    settings.getAudience(), settings.getLifetime(), clock);
        }

        static ClientAssertion privateKey(PrivateKey key, SigningAlgorithm algorithm,
                ClientAssertionProperties settings, Clock clock) {
            return dev.tokenstarter.token.internal.jose.JwtClientAssertion.privateKey(key, algorithm, settings.getKeyId(),
                    settings.getAudience(), settings.getLifetime(), clock);
        }
    }
}
