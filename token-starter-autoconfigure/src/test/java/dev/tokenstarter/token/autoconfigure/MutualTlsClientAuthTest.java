package dev.tokenstarter.token.autoconfigure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.ssl.ClientAuth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code client-auth-method: self-signed-tls-client-auth} (RFC 8705 §2.2) against a TLS token endpoint whose
 * client-certificate check is real: it trusts exactly the client's self-signed certificate and refuses the
 * handshake without it. The API beside it does the same, as an API with certificate-bound tokens must: the
 * preconfigured clients present the certificate of {@code api-ssl-bundle}.
 */
class MutualTlsClientAuthTest {

    private static final KeyPair SERVER = TestKeys.rsa(2048);

    private static final X509Certificate SERVER_CERT = TestKeys.selfSigned(SERVER, "localhost");

    private static final KeyPair CLIENT = TestKeys.ec("secp256r1");

    private static final X509Certificate CLIENT_CERT = TestKeys.selfSigned(CLIENT, "orders-service");

    private static final List<String> BODIES = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    private static DisposableServer server;

    private static DisposableServer api;

    // Its own event loops: a closing context disposes Reactor Netty's global ones, which would stop the servers
    private static final LoopResources loops = LoopResources.create("mtls-test", 1, true);

    @BeforeAll
    static void start() {
        server = HttpServer.create().runOn(loops).host("localhost").port(0)
            .secure((spec) -> spec.sslContext(Http11SslContextSpec.forServer(SERVER.getPrivate(), SERVER_CERT)
                .configure((builder) -> builder.trustManager(CLIENT_CERT).clientAuth(ClientAuth.REQUIRE))))
            .handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
                BODIES.add(body);
                return response.header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"access_token\":\"token-mtls-abcdef\",\"token_type\":\"Bearer\",\"expires_in\":3600}"))
                    .then();
            }))
            .bindNow();
        api = HttpServer.create().runOn(loops).host("localhost").port(0)
            .secure((spec) -> spec.sslContext(Http11SslContextSpec.forServer(SERVER.getPrivate(), SERVER_CERT)
                .configure((builder) -> builder.trustManager(CLIENT_CERT).clientAuth(ClientAuth.REQUIRE))))
            .handle((request, response) -> response.sendString(Mono.just("orders for "
                    + request.requestHeaders().get(HttpHeaders.AUTHORIZATION))).then())
            .bindNow();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
        api.disposeNow();
        loops.disposeLater().block();
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create().withPropertyValues(
                "api.auth.token-uri=https://localhost:" + server.port() + "/oauth/token", "api.auth.client-id=orders-service",
                "api.auth.client-auth-method=self-signed-tls-client-auth", "api.auth.refresh.eager=false",
                "spring.ssl.bundle.pem.server-only.truststore.certificate=file:"
                        + TestKeys.writeCertificatePem(SERVER_CERT, dir.resolve("server.pem")));
    }

    private String[] clientBundle(String name, KeyPair keys, X509Certificate certificate) {
        String prefix = "spring.ssl.bundle.pem." + name + ".";
        return new String[] { prefix + "keystore.certificate=file:" + TestKeys.writeCertificatePem(certificate,
                dir.resolve(name + "-cert.pem")), prefix + "keystore.private-key=file:" + TestKeys.writePrivateKeyPem(keys,
                        dir.resolve(name + "-key.pem")), prefix + "truststore.certificate=file:" + dir.resolve("server.pem") };
    }

    @Test
    void theClientCertificateAuthenticatesAndOnlyTheClientIdIsSent() {
        runner().withPropertyValues(clientBundle("client", CLIENT, CLIENT_CERT))
            .withPropertyValues("api.auth.request.ssl.bundle=client")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-mtls-abcdef");
                assertThat(BODIES.get(BODIES.size() - 1)).isEqualTo("grant_type=client_credentials&client_id=orders-service");
            });
    }

    @Test
    void aCertificateTheServerDoesNotKnowFailsTheHandshake() {
        KeyPair stranger = TestKeys.ec("secp256r1");
        runner().withPropertyValues(clientBundle("stranger", stranger, TestKeys.selfSigned(stranger, "stranger")))
            .withPropertyValues("api.auth.request.ssl.bundle=stranger")
            .run((context) -> assertThat(catchThrowable(() -> context.getBean(TokenProvider.class).getToken()))
                .isInstanceOf(TokenFetchException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageContaining("did not accept the client certificate"));
    }

    @Test
    void thePreconfiguredClientsPresentTheCertificateOfSslBundleToTheApi() {
        runner().withPropertyValues(clientBundle("client", CLIENT, CLIENT_CERT))
            .withPropertyValues("api.auth.request.ssl.bundle=client", "api.auth.api-ssl-bundle=client",
                    "api.auth.base-url=https://localhost:" + api.port())
            .run((context) -> {
                assertThat(context.getBean("apiWebClient", WebClient.class).get().uri("/orders").retrieve()
                    .bodyToMono(String.class).block()).isEqualTo("orders for Bearer token-mtls-abcdef");
                assertThat(context.getBean("apiRestClient", RestClient.class).get().uri("/orders").retrieve()
                    .body(String.class)).isEqualTo("orders for Bearer token-mtls-abcdef");
            });
    }

    @Test
    void withoutAClientCertificateForTheApiItsHandshakeFails() {
        runner().withPropertyValues(clientBundle("client", CLIENT, CLIENT_CERT))
            .withPropertyValues("api.auth.request.ssl.bundle=client", "api.auth.api-ssl-bundle=server-only",
                    "api.auth.base-url=https://localhost:" + api.port())
            .run((context) -> {
                assertThat(catchThrowable(() -> context.getBean("apiWebClient", WebClient.class).get().uri("/orders")
                    .retrieve().bodyToMono(String.class).block())).isNotNull();
                assertThat(catchThrowable(() -> context.getBean("apiRestClient", RestClient.class).get().uri("/orders")
                    .retrieve().body(String.class))).isInstanceOf(ResourceAccessException.class);
            });
    }

    @Test
    void anUnknownApiBundleFailsStartupNamingIt() {
        assertFailure(runner().withPropertyValues(clientBundle("client", CLIENT, CLIENT_CERT))
            .withPropertyValues("api.auth.request.ssl.bundle=client", "api.auth.api-ssl-bundle=nope",
                    "api.auth.base-url=https://localhost:" + api.port()),
                "'api.auth.api-ssl-bundle'", "no SSL bundle named 'nope'");
    }

    @Test
    void withoutABundleStartupFailsNamingIt() {
        assertFailure(runner(), "'api.auth.request.ssl.bundle'", "it is not set");
    }

    @Test
    void aBundleWithoutAKeyStoreFailsNamingIt() {
        assertFailure(runner().withPropertyValues("api.auth.request.ssl.bundle=server-only"),
                "'api.auth.request.ssl.bundle'", "has no key store");
    }

    private static void assertFailure(ApplicationContextRunner runner, String property, String reason) {
        runner.run((context) -> {
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains(property).contains(reason);
        });
    }
}
