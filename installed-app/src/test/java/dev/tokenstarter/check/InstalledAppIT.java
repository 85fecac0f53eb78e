package dev.tokenstarter.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.RecordedRequest;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repackaged installed-app jar, started as its own JVM against a {@link LoopbackTokenEndpoint} and
 * configured by {@code api.auth.*} properties alone: it gets healthy, and its WebClient, RestClient and
 * {@code @HttpExchange} client each reach the API with a valid token of the endpoint's. Once with a client
 * secret, once with {@code private_key_jwt} (a P-256 key made here, given as a PEM file).
 */
class InstalledAppIT {

    private static final String CLIENT_ID = "installed-app";

    private static final String SECRET = "installed-app-secret-1";

    private final Path jar = Path.of(System.getProperty("installed-app.jar", "target/installed-app-0.0.0.jar"));

    @Test
    void clientSecret() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            List<String> properties = properties(endpoint);
            properties.add("--api.auth.client-secret=" + SECRET);
            runAndCallEveryClient(endpoint, properties, SECRET);
            assertThat(endpoint.requests()).allSatisfy((request) -> {
                assertThat(request.formParameters()).containsEntry("grant_type", "client_credentials");
                assertThat(request.header("Authorization")).startsWith("Basic ");
            });
        }
    }

    @Test
    void privateKeyJwt(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        String base64 = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(key.getPrivate().getEncoded());
        Path pem = Files.writeString(dir.resolve("client-key.pem"),
                "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            List<String> properties = properties(endpoint);
            properties.add("--api.auth.client-auth-method=private-key-jwt");
            properties.add("--api.auth.client-assertion.private-key=file:" + pem);
            runAndCallEveryClient(endpoint, properties, base64.lines().skip(1).findFirst().orElseThrow());
            // LoopbackTokenEndpoint does not check client authentication: the recorded requests are checked here
            assertThat(endpoint.requests()).allSatisfy((request) -> assertSignedAssertion(request, endpoint,
                    (ECPublicKey) key.getPublic()));
        }
    }

    private static void assertSignedAssertion(RecordedRequest request, LoopbackTokenEndpoint endpoint,
            ECPublicKey publicKey) throws Exception {
        Map<String, String> form = request.formParameters();
        assertThat(form).containsEntry("grant_type", "client_credentials")
            .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            .containsEntry("client_id", CLIENT_ID)
            .doesNotContainKey("client_secret");
        assertThat(request.header("Authorization")).isNull();
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.verify(new ECDSAVerifier(publicKey))).as("signature verifies with the public key").isTrue();
        JWTClaimsSet claims = assertion.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly(endpoint.uri().toString());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    private static List<String> properties(LoopbackTokenEndpoint endpoint) {
        return new ArrayList<>(List.of("--api.auth.token-uri=" + endpoint.uri(), "--api.auth.client-id=" + CLIENT_ID,
                "--api.auth.base-url=" + endpoint.apiUri()));
    }

    /** Starts the jar, checks health and {@code /calls}; on any failure prints the application's output. */
    private void runAndCallEveryClient(LoopbackTokenEndpoint endpoint, List<String> properties, String secret)
            throws Exception {
        assertThat(jar).as("the repackaged jar (run after `package`)").exists();
        try (AppProcess app = AppProcess.start(jar, properties)) {
            try {
                JsonNode health = app.awaitHealthUp();
                assertThat(health.path("components").path("apiAuth").path("components").has("api"))
                    .as("the starter's apiAuth health component, with the client api: %s", health).isTrue();

                JsonNode calls = app.getJson("/calls");
                for (String client : List.of("webClient", "restClient", "httpService")) {
                    assertThat(calls.path(client).asString()).as("%s: %s", client, calls).isEqualTo("OK []");
                }
                assertThat(endpoint.apiCalls(TokenStatus.VALID)).as("API calls with a valid token").isEqualTo(3);
                assertThat(endpoint.apiCalls()).as("API calls in all").isEqualTo(3);
                assertThat(endpoint.issuedCount()).isPositive();

                JsonNode after = app.getJson("/actuator/health");
                assertThat(after.path("components").path("apiAuth").path("components").path("api").path("status")
                    .asString()).as("the client's health once it has a token: %s", after).isEqualTo("UP");
                assertThat(app.output()).as("the credential stays out of the log").doesNotContain(secret);
            }
            catch (Throwable failure) {
                System.err.println("installed-app output:\n" + app.output());
                throw failure;
            }
        }
    }
}
