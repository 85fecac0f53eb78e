package dev.tokenstarter.token.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TestKeys;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client-auth-method: private-key-jwt} and {@code client-secret-jwt} from properties: keys from PEM
 * files and SSL bundles, and a startup failure naming the property for each misconfiguration.
 */
class ClientAssertionAutoConfigurationTest {

    private static final String SECRET = "a-client-secret-of-more-than-32-bytes-0123456789";

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    @TempDir
    static Path keys;

    private static final KeyPair RSA = TestKeys.rsa(2048);

    private final ApplicationContextRunner runner = StarterContextRunner.create()
        .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=orders-service",
                "api.auth.refresh.eager=false");

    private static String rsaPem() {
        Path file = keys.resolve("client-key.pem");
        if (!Files.exists(file)) {
            TestKeys.writePrivateKeyPem(RSA, file);
        }
        return "file:" + file;
    }

    @Test
    void aPemPrivateKeySignsTheAssertionOfEachRequest() throws Exception {
        endpoint.issueOnce("token-pem-abcdef", 3600);
        runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=" + rsaPem(), "api.auth.client-assertion.key-id=k1")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-pem-abcdef");
                SignedJWT jwt = sentAssertion();
                assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.getPublic()))).isTrue();
                assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
                assertThat(jwt.getHeader().getKeyID()).isEqualTo("k1");
                assertThat(context.getBean(TokenProvider.class).toString()).doesNotContain("BEGIN");
            });
    }

    @Test
    void theKeyCanComeFromAnSslBundlesKeyStore() throws Exception {
        KeyPair ec = TestKeys.ec("secp384r1");
        Path store = TestKeys.writePkcs12(ec, "client", "store-pass-123", keys.resolve("client.p12"));
        endpoint.issueOnce("token-bundle-abcdef", 3600);
        runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.ssl-bundle=client-keys",
                "spring.ssl.bundle.jks.client-keys.keystore.location=file:" + store,
                "spring.ssl.bundle.jks.client-keys.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.client-keys.keystore.password=store-pass-123")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-bundle-abcdef");
                SignedJWT jwt = sentAssertion();
                assertThat(jwt.getHeader().getAlgorithm().getName()).as("by the key's curve").isEqualTo("ES384");
                assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
                        (java.security.interfaces.ECPublicKey) ec.getPublic()))).isTrue();
            });
    }

    @Test
    void clientSecretJwtSignsWithTheSecret() throws Exception {
        endpoint.issueOnce("token-hs-abcdef", 3600);
        runner.withPropertyValues("api.auth.client-auth-method=client-secret-jwt", "api.auth.client-secret=" + SECRET,
                "api.auth.client-assertion.algorithm=HS256")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-hs-abcdef");
                assertThat(sentAssertion().getHeader().getAlgorithm().getName()).isEqualTo("HS256");
            });
    }

    @Test
    void noKeyIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt"),
                "api.auth.client-assertion.private-key", "it is not set");
    }

    @Test
    void anUnreadableKeyFileIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + keys.resolve("missing.pem")),
                "api.auth.client-assertion.private-key", "cannot be read");
    }

    @Test
    void aFileWithoutAKeyIsNamed() throws Exception {
        Path certificate = TestKeys.writeCertificatePem(TestKeys.selfSigned(RSA, "x"), keys.resolve("only-cert.pem"));
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + certificate),
                "api.auth.client-assertion.private-key", "holds no private key");
    }

    @Test
    void anAlgorithmThatDoesNotFitTheKeyIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=" + rsaPem(), "api.auth.client-assertion.algorithm=ES256"),
                "api.auth.client-assertion.algorithm", "ES256 needs an EC key, but");
    }

    @Test
    void anEcKeyOnTheWrongCurveIsNamed() {
        Path file = TestKeys.writePrivateKeyPem(TestKeys.ec("secp256r1"), keys.resolve("p256.pem"));
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + file, "api.auth.client-assertion.algorithm=ES384"),
                "api.auth.client-assertion.algorithm", "needs an EC key on P-384");
    }

    @Test
    void aWeakRsaKeyIsNamed() {
        Path file = TestKeys.writePrivateKeyPem(TestKeys.rsa(1024), keys.resolve("weak.pem"));
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + file),
                "api.auth.client-assertion.private-key", "2048");
    }

    @Test
    void anHmacAlgorithmWithAPrivateKeyIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=" + rsaPem(), "api.auth.client-assertion.algorithm=HS256"),
                "api.auth.client-assertion.algorithm", "signs with the client secret");
    }

    @Test
    void aSecretTooShortForHs256IsNamedWithoutItsValue() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=client-secret-jwt",
                "api.auth.client-secret=short-secret-7Hq2"), "api.auth.client-secret", "HS256");
    }

    @Test
    void aMissingSslBundleIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.ssl-bundle=nowhere"), "api.auth.client-assertion.ssl-bundle",
                "no SSL bundle named 'nowhere'");
    }

    @Test
    void withoutNimbusTheFailureSaysWhichDependencyToAdd() {
        assertFailure(runner.withClassLoader(new FilteredClassLoader("com.nimbusds"))
            .withPropertyValues("api.auth.client-auth-method=client-secret-jwt", "api.auth.client-secret=" + SECRET),
                "api.auth.client-auth-method", "Nimbus JOSE+JWT")
            .satisfies((analysis) -> assertThat(analysis.getAction()).contains("com.nimbusds:nimbus-jose-jwt"));
    }

    @Test
    void withoutNimbusOtherMethodsStillWork() {
        endpoint.issueOnce("token-basic-abcdef", 3600);
        runner.withClassLoader(new FilteredClassLoader("com.nimbusds"))
            .withPropertyValues("api.auth.client-secret=" + SECRET)
            .run((context) -> assertThat(context.getBean(TokenProvider.class).getToken().value())
                .isEqualTo("token-basic-abcdef"));
    }

    private static org.assertj.core.api.ObjectAssert<FailureAnalysis> assertFailure(ApplicationContextRunner runner,
            String property, String reason) {
        FailureAnalysis[] found = new FailureAnalysis[1];
        runner.withPropertyValues("api.auth.client-assertion.private-key-password=pw-7Hq2xV9pLm").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason)
                .doesNotContain(SECRET).doesNotContain("short-secret-7Hq2").doesNotContain("pw-7Hq2xV9pLm");
            assertThat(analysis.getAction()).isNotBlank();
            found[0] = analysis;
        });
        return assertThat(found[0]);
    }

    private static SignedJWT sentAssertion() throws Exception {
        String body = endpoint.requests()[endpoint.requests().length - 1].getBodyAsString();
        for (String pair : body.split("&")) {
            if (pair.startsWith("client_assertion=")) {
                return SignedJWT.parse(pair.substring("client_assertion=".length()));
            }
        }
        throw new AssertionError("no client_assertion in " + body);
    }
}
