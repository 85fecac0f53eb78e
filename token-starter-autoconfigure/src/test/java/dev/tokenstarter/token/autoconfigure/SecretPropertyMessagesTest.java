package dev.tokenstarter.token.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every secret-type property, each way it can be invalid, with a marker in its value: the startup failure
 * names the property, and the marker appears nowhere in the exception chain (messages and {@code toString()}
 * of every cause), in the failure analysis' description and action, or in the log output. Issue 20, defect 1
 * (a private key without PEM armour was taken for a location and quoted whole) made this a table.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretPropertyMessagesTest {

    /** In every secret value below; it must never be shown. */
    private static final String MARKER = "Mk7Zq3Wv9Xy2";

    @TempDir
    static Path dir;

    private static final KeyPair RSA = TestKeys.rsa(2048);

    private static final KeyPair EC = TestKeys.ec("secp256r1");

    static Stream<Arguments> cases() {
        String der = Base64.getEncoder().encodeToString(RSA.getPrivate().getEncoded());
        // a key whose base64 holds the marker: the marker replaces a stretch of the real key
        String markedDer = marked(der);
        String pem = TestKeys.pem("PRIVATE KEY", RSA.getPrivate().getEncoded());
        String markedPem = "-----BEGIN PRIVATE KEY-----\n" + markedDer + "\n-----END PRIVATE KEY-----";
        String ecPem = TestKeys.pem("PRIVATE KEY", EC.getPrivate().getEncoded());
        String privateKeyJwt = "api.auth.client-auth-method=private-key-jwt";
        List<Arguments> cases = new ArrayList<>();
        // client secret
        cases.add(Arguments.of("client-secret too short for HS256", "api.auth.client-secret",
                List.of("api.auth.client-auth-method=client-secret-jwt", "api.auth.client-secret=short-" + MARKER)));
        cases.add(Arguments.of("client-secret sent in a GET URL", "api.auth.request.method",
                List.of("api.auth.client-auth-method=client-secret-post", "api.auth.request.method=GET",
                        "api.auth.client-secret=secret-" + MARKER)));
        // password
        cases.add(Arguments.of("password sent in a GET URL", "api.auth.request.method",
                List.of("api.auth.grant-type=password", "api.auth.username=alice", "api.auth.password=pw-" + MARKER,
                        "api.auth.request.method=GET", "api.auth.client-auth-method=none")));
        // refresh token
        cases.add(Arguments.of("refresh-token sent in a GET URL", "api.auth.request.method",
                List.of("api.auth.grant-type=refresh_token", "api.auth.refresh-token=rt-" + MARKER,
                        "api.auth.request.method=GET", "api.auth.client-auth-method=none")));
        // private key and its password
        cases.add(Arguments.of("private-key as base64 DER without PEM armour", "api.auth.client-assertion.private-key",
                List.of(privateKeyJwt, "api.auth.client-assertion.private-key=" + markedDer)));
        cases.add(Arguments.of("private-key as base64 of the PEM (Kubernetes secret data)",
                "api.auth.client-assertion.private-key", List.of(privateKeyJwt, "api.auth.client-assertion.private-key="
                        + marked(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8))))));
        cases.add(Arguments.of("private-key as malformed PEM text", "api.auth.client-assertion.private-key",
                List.of(privateKeyJwt, "api.auth.client-assertion.private-key=" + markedPem)));
        cases.add(Arguments.of("private-key of the wrong type for the algorithm", "api.auth.client-assertion.algorithm",
                List.of(privateKeyJwt, "api.auth.client-assertion.private-key=" + ecPem,
                        "api.auth.client-assertion.algorithm=RS256", "api.auth.client-assertion.key-id=kid-" + MARKER)));
        cases.add(Arguments.of("private-key set together with an SSL bundle", "api.auth.client-assertion.private-key",
                List.of(privateKeyJwt, "api.auth.client-assertion.private-key=" + markedPem,
                        "api.auth.client-assertion.ssl-bundle=keys")));
        cases.add(Arguments.of("private-key-password beside a key file that cannot be read",
                "api.auth.client-assertion.private-key", List.of(privateKeyJwt,
                        "api.auth.client-assertion.private-key=file:" + dir.resolve("missing-key.pem"),
                        "api.auth.client-assertion.private-key-password=pw-" + MARKER)));
        cases.add(Arguments.of("HMAC algorithm with a private key", "api.auth.client-assertion.algorithm",
                List.of(privateKeyJwt, "api.auth.client-assertion.private-key=" + markedPem,
                        "api.auth.client-assertion.algorithm=HS256")));
        // assertions, subject and actor tokens
        cases.add(Arguments.of("jwt-bearer assertion from a value and a file", "api.auth.jwt-bearer.assertion",
                List.of("api.auth.grant-type=jwt-bearer", "api.auth.jwt-bearer.assertion.value=eyJ." + MARKER,
                        "api.auth.jwt-bearer.assertion.location=file:/nowhere")));
        cases.add(Arguments.of("subject token from a value and a file", "api.auth.token-exchange.subject-token",
                List.of("api.auth.grant-type=token-exchange", "api.auth.token-exchange.subject-token.value=st-" + MARKER,
                        "api.auth.token-exchange.subject-token.location=file:/nowhere")));
        cases.add(Arguments.of("actor token from a value and a file", "api.auth.token-exchange.actor-token",
                List.of("api.auth.grant-type=token-exchange", "api.auth.token-exchange.subject-token.value=st-ok",
                        "api.auth.token-exchange.actor-token.value=at-" + MARKER,
                        "api.auth.token-exchange.actor-token.location=file:/nowhere")));
        // shared-token encryption key
        cases.add(Arguments.of("encryption-key not base64", "api.auth.shared.encryption-key",
                List.of("api.auth.shared.enabled=true", "api.auth.shared.encryption-key=not base64 " + MARKER)));
        cases.add(Arguments.of("encryption-key not 256 bits", "api.auth.shared.encryption-key",
                List.of("api.auth.shared.enabled=true", "api.auth.shared.encryption-key=QUJD" + MARKER)));
        // DPoP key: a key pasted where its location belongs
        cases.add(Arguments.of("dpop.key-location holding PEM text", "api.auth.dpop.key-location",
                List.of("api.auth.dpop.enabled=true", "api.auth.dpop.key-location=" + markedPem)));
        cases.add(Arguments.of("dpop.key-location holding base64 DER", "api.auth.dpop.key-location",
                List.of("api.auth.dpop.enabled=true", "api.auth.dpop.key-location=" + markedDer)));
        // extra parameter and header values
        cases.add(Arguments.of("extra-parameter value sent in a GET URL", "api.auth.request.method",
                List.of("api.auth.request.method=GET", "api.auth.request.extra-parameters.api_key=key-" + MARKER)));
        cases.add(Arguments.of("header value beside an invalid header name", "api.auth.header.name",
                List.of("api.auth.request.headers.X-Api-Key=key-" + MARKER, "api.auth.header.name=Bad Header")));
        return cases.stream();
    }

    /** {@code base64} with a stretch of it replaced by the marker: still base64, and the marker in it literally. */
    private static String marked(String base64) {
        return base64.substring(0, 40) + MARKER + base64.substring(40 + MARKER.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theMarkerOfAnInvalidSecretAppearsNowhere(String description, String property, List<String> properties,
            CapturedOutput output) {
        StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=http://127.0.0.1:9/token", "api.auth.client-id=secret-test",
                    "api.auth.client-secret=base-secret-0123456789abcdef0123456789",
                    "api.auth.base-url=http://127.0.0.1:9/api", "api.auth.refresh.eager=false")
            .withPropertyValues(properties.toArray(String[]::new))
            .run((context) -> {
                assertThat(context).as(description).hasFailed();
                Throwable failure = context.getStartupFailure();
                List<String> texts = new ArrayList<>();
                InvalidTokenClientPropertyException invalid = null;
                for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                    texts.add(String.valueOf(cause.getMessage()));
                    texts.add(cause.toString());
                    if (cause instanceof InvalidTokenClientPropertyException found) {
                        invalid = found;
                    }
                    if (cause.getCause() == cause) {
                        break;
                    }
                }
                assertThat(invalid).as("%s: an InvalidTokenClientPropertyException in %s", description, failure).isNotNull();
                FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer()
                    .analyze(failure);
                assertThat(analysis.getDescription()).as(description).contains("'" + property);
                texts.add(analysis.getDescription());
                texts.add(analysis.getAction());
                texts.add(output.toString());
                assertThat(String.join("\n", texts)).as(description).doesNotContain(MARKER);
            });
    }
}
