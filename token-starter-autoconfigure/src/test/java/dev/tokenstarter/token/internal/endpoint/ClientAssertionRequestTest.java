package dev.tokenstarter.token.internal.endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.HttpRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.tokenstarter.token.dpop.DPoPAlgorithm;
import dev.tokenstarter.token.internal.dpop.DPoPKey;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.jose.JwtClientAssertion;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TestKeys;
import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.SigningAlgorithm;
import dev.tokenstarter.token.endpoint.OAuthErrorException;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * private_key_jwt and client_secret_jwt (RFC 7523 §2.2) as sent: a new, verifiable assertion on every request.
 */
class ClientAssertionRequestTest {

    private static final String SECRET = "a-client-secret-of-more-than-32-bytes-0123456789";

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private TokenEndpointClient client(ClientAuthMethod method, ClientAssertion assertion) {
        return new TokenEndpointClient(TokenEndpointConfigs.builder(endpoint.uri()).clientId("orders-service")
            .clientSecret((method == ClientAuthMethod.CLIENT_SECRET_JWT) ? SECRET : null).clientAuthMethod(method)
            .clientAssertion(assertion).build(), clock, TokenFetchObserver.NONE);
    }

    @Test
    void privateKeyJwtSendsANewSignedAssertionWithEachRequest() throws Exception {
        KeyPair keys = TestKeys.rsa(2048);
        TokenEndpointClient client = client(ClientAuthMethod.PRIVATE_KEY_JWT, JwtClientAssertion.privateKey(
                keys.getPrivate(), SigningAlgorithm.RS256, "key-1", null, Duration.ofSeconds(60), clock));
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);

        client.fetch(null).block();
        clock.advance(Duration.ofSeconds(5));
        client.fetch(null).block();

        List<SignedJWT> assertions = Arrays.stream(endpoint.requests()).map(ClientAssertionRequestTest::assertionOf).toList();
        for (SignedJWT jwt : assertions) {
            assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic()))).isTrue();
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
            assertThat(jwt.getHeader().getKeyID()).isEqualTo("key-1");
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("orders-service");
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("orders-service");
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(endpoint.uri().toString());
            assertThat(Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
                    jwt.getJWTClaimsSet().getExpirationTime().toInstant())).isEqualTo(Duration.ofSeconds(60));
        }
        assertThat(assertions.get(0).getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant().minusSeconds(5));
        assertThat(assertions.get(0).getJWTClaimsSet().getJWTID()).isNotEqualTo(assertions.get(1).getJWTClaimsSet().getJWTID());
        Map<String, String> form = form(endpoint.requests()[0]);
        assertThat(form).containsEntry("client_id", "orders-service")
            .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            .containsEntry("grant_type", "client_credentials")
            .doesNotContainKey("client_secret");
        assertThat(endpoint.requests()[0].getFirstHeader("Authorization")).isEmpty();
    }

    @Test
    void anEcKeySignsEs256AndAConfiguredAudienceReplacesTheEndpoint() throws Exception {
        KeyPair keys = TestKeys.ec("secp256r1");
        endpoint.issueOnce("token-ec-abcdef", 3600);

        client(ClientAuthMethod.PRIVATE_KEY_JWT, JwtClientAssertion.privateKey(keys.getPrivate(), SigningAlgorithm.ES256,
                null, "https://auth.example.com", Duration.ofSeconds(30), clock)).fetch(null).block();

        SignedJWT jwt = assertionOf(endpoint.requests()[0]);
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://auth.example.com");
        assertThat(jwt.getHeader().getKeyID()).isNull();
    }

    @Test
    void clientSecretJwtIsAnHmacKeyedWithTheSecret() throws Exception {
        endpoint.issueOnce("token-hs-abcdef", 3600);

        client(ClientAuthMethod.CLIENT_SECRET_JWT, JwtClientAssertion.clientSecret(SECRET, SigningAlgorithm.HS256, null,
                null, Duration.ofSeconds(60), clock)).fetch(null).block();

        SignedJWT jwt = assertionOf(endpoint.requests()[0]);
        JWSVerifier verifier = new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(jwt.verify(verifier)).isTrue();
        assertThat(endpoint.requests()[0].getBodyAsString()).doesNotContain("client_secret");
    }

    @Test
    void aRejectedAssertionFailsWithTheEndpointsErrorAndNeverTheAssertion() {
        AtomicReference<String> sent = new AtomicReference<>();
        KeyPair keys = TestKeys.rsa(2048);
        ClientAssertion signer = JwtClientAssertion.privateKey(keys.getPrivate(), SigningAlgorithm.PS256, null, null,
                Duration.ofSeconds(60), clock);
        endpoint.respondOnce(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad assertion\"}"));

        Throwable failure = catchThrowable(() -> client(ClientAuthMethod.PRIVATE_KEY_JWT, (id, uri) -> {
            String assertion = signer.create(id, uri);
            sent.set(assertion);
            return assertion;
        }).fetch(null).block());

        assertThat(failure).isInstanceOf(OAuthErrorException.class).hasMessageContaining("invalid_client");
        assertThat(failure.toString()).doesNotContain(sent.get());
        assertThat(signer.toString()).isEqualTo("JwtClientAssertion[PS256]");
    }

    @Test
    void aDPoPNonceRetryBuildsTheRequestAgainSoNoAssertionIsSentTwice() {
        endpoint.respondOnce(json(400, "{\"error\":\"use_dpop_nonce\"}").withHeader(DPoPProofs.NONCE_HEADER, "nonce-1"));
        endpoint.respondOnce(json(200, "{\"access_token\":\"dpop-token-abcdef\",\"token_type\":\"DPoP\",\"expires_in\":60}"));
        KeyPair keys = TestKeys.rsa(2048);
        TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri()).clientId("orders-service")
            .clientAuthMethod(ClientAuthMethod.PRIVATE_KEY_JWT).clientAssertion(JwtClientAssertion.privateKey(
                    keys.getPrivate(), SigningAlgorithm.RS256, null, null, Duration.ofSeconds(60), clock))
            .build();

        new TokenEndpointClient(config, clock, TokenFetchObserver.NONE, TokenEndpointTransport.detect(),
                new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), clock)).fetch(null).block();

        HttpRequest[] sent = endpoint.requests();
        assertThat(sent).hasSize(2);
        assertThat(form(sent[0]).get("client_assertion")).isNotEqualTo(form(sent[1]).get("client_assertion"));
        assertThat(sent[1].getFirstHeader(DPoPProofs.HEADER)).isNotEmpty();
    }

    @Test
    void anAssertionIsNeverSignedOnANonBlockingThread() {
        AtomicReference<Thread> signedOn = new AtomicReference<>();
        endpoint.issueOnce("token-thread-abcdef", 3600);
        TokenEndpointClient client = client(ClientAuthMethod.PRIVATE_KEY_JWT, (id, uri) -> {
            signedOn.set(Thread.currentThread());
            return "header.payload.signature";
        });

        Mono.defer(() -> client.fetch(null)).subscribeOn(Schedulers.parallel()).block();

        assertThat(signedOn.get().getName()).doesNotStartWith("parallel");
        assertThat(Schedulers.isNonBlockingThread(signedOn.get())).isFalse();
    }

    @Test
    void onTheCallersOwnThreadTheAssertionIsSignedInPlace() {
        AtomicReference<Thread> signedOn = new AtomicReference<>();
        endpoint.issueOnce("token-caller-abcdef", 3600);

        client(ClientAuthMethod.PRIVATE_KEY_JWT, (id, uri) -> {
            signedOn.set(Thread.currentThread());
            return "header.payload.signature";
        }).fetch(null).block();

        assertThat(signedOn.get()).isSameAs(Thread.currentThread());
    }

    private static SignedJWT assertionOf(HttpRequest request) {
        try {
            return SignedJWT.parse(form(request).get("client_assertion"));
        }
        catch (java.text.ParseException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<String, String> form(HttpRequest request) {
        return Arrays.stream(request.getBodyAsString().split("&")).map((pair) -> pair.split("=", 2))
            .collect(Collectors.toMap((pair) -> decode(pair[0]), (pair) -> decode(pair[1])));
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
