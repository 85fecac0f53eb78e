package dev.tokenstarter.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.e2e.support.StarterContextRunner;
import dev.tokenstarter.token.TokenProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 against Spring Authorization Server: client authentication with signed JWTs, private_key_jwt
 * (the server reads the client's public key from its JWK set URL) and client_secret_jwt; the token endpoint
 * discovered from the issuer (the server's RFC 8414 metadata); the token exchange grant with the subject
 * token from a file; then the protected API with the token obtained.
 */
class ClientAuthAndGrantsEndToEndTest {

    private static final int PORT = freePort();

    private static final String TOKEN_URI = "api.auth.token-uri=http://localhost:" + PORT + "/oauth2/token";

    private static final String SAS = "spring.security.oauth2.authorizationserver.client.";

    /** HS256 needs 256 bits; the server keys the MAC with the registered secret as it is, so no {noop}. */
    private static final String JWT_SECRET = "client-secret-jwt-secret-of-32-bytes-or-more";

    private static final KeyPair CLIENT_KEY = rsa();

    @TempDir
    static Path keys;

    private static ConfigurableApplicationContext authorizationServer;

    private final ApplicationContextRunner client = StarterContextRunner.create()
        .withPropertyValues("api.auth.scope=orders.read",
                "api.auth.base-url=http://localhost:" + PORT + "/api");

    @BeforeAll
    static void startAuthorizationServer() {
        AuthorizationServerApplication.clientJwks = new JWKSet(
                new RSAKey.Builder((RSAPublicKey) CLIENT_KEY.getPublic()).keyID("orders-key-1").build()).toString();
        authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
            .properties("spring.config.name=e2e-authorization-server", "server.port=" + PORT,
                    SAS + "pkjwt.registration.client-id=orders-pkjwt",
                    SAS + "pkjwt.registration.client-authentication-methods=private_key_jwt",
                    SAS + "pkjwt.registration.authorization-grant-types=client_credentials",
                    SAS + "pkjwt.registration.scopes=orders.read",
                    SAS + "pkjwt.jwk-set-uri=http://localhost:" + PORT + AuthorizationServerApplication.CLIENT_JWKS_PATH,
                    SAS + "pkjwt.token-endpoint-authentication-signing-algorithm=RS256",
                    SAS + "csjwt.registration.client-id=orders-csjwt",
                    SAS + "csjwt.registration.client-secret=" + JWT_SECRET,
                    SAS + "csjwt.registration.client-authentication-methods=client_secret_jwt",
                    SAS + "csjwt.registration.authorization-grant-types=client_credentials",
                    SAS + "csjwt.registration.scopes=orders.read",
                    SAS + "csjwt.token-endpoint-authentication-signing-algorithm=HS256",
                    SAS + "service.registration.client-id=orders-service",
                    SAS + "service.registration.client-secret={noop}orders-secret-123",
                    SAS + "service.registration.client-authentication-methods=client_secret_basic",
                    SAS + "service.registration.authorization-grant-types=client_credentials",
                    SAS + "service.registration.scopes=orders.read",
                    SAS + "batch.registration.client-id=orders-batch",
                    SAS + "batch.registration.client-secret={noop}orders-batch-secret-123",
                    SAS + "batch.registration.client-authentication-methods=client_secret_basic",
                    SAS + "batch.registration.authorization-grant-types=client_credentials",
                    SAS + "batch.registration.scopes=orders.read",
                    SAS + "exchanger.registration.client-id=orders-gateway",
                    SAS + "exchanger.registration.client-secret={noop}orders-gateway-secret-123",
                    SAS + "exchanger.registration.client-authentication-methods=client_secret_basic",
                    SAS + "exchanger.registration.authorization-grant-types=urn:ietf:params:oauth:grant-type:token-exchange",
                    SAS + "exchanger.registration.scopes=orders.read")
            .run();
    }

    @AfterAll
    static void stopAuthorizationServer() {
        authorizationServer.close();
    }

    private static Path clientKeyPem() throws IOException {
        return Files.writeString(keys.resolve("orders-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(CLIENT_KEY.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void privateKeyJwt() throws IOException {
        client.withPropertyValues(TOKEN_URI, "api.auth.client-id=orders-pkjwt", "api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + clientKeyPem(), "api.auth.client-assertion.key-id=orders-key-1")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                callTheApiTwiceWithFreshTokens(context);
            });
    }

    @Test
    void theTokenEndpointIsDiscoveredFromTheIssuerAndTheAssertionIsForIt() throws IOException {
        client.withPropertyValues("api.auth.issuer-uri=http://localhost:" + PORT,
                "api.auth.client-id=orders-pkjwt", "api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + clientKeyPem(), "api.auth.refresh.fail-fast=true")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                callTheApiTwiceWithFreshTokens(context);
            });
    }

    @Test
    void anIssuerTheServerDoesNotNameFailsStartupWithFailFast() {
        client.withPropertyValues("api.auth.issuer-uri=http://localhost:" + PORT + "/tenant-a",
                "api.auth.client-id=orders-csjwt", "api.auth.client-secret=" + JWT_SECRET,
                "api.auth.refresh.fail-fast=true")
            .run((context) -> assertThat(context).getFailure().hasStackTraceContaining("/.well-known/"));
    }

    @Test
    void privateKeyJwtWithAKeyTheServerDoesNotKnowIsRejected() throws IOException {
        Path pem = Files.writeString(keys.resolve("stranger-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        client.withPropertyValues(TOKEN_URI, "api.auth.client-id=orders-pkjwt", "api.auth.client-auth-method=private-key-jwt",
                "api.auth.client-assertion.private-key=file:" + pem, "api.auth.refresh.eager=false")
            .run((context) -> assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> context.getBean(TokenProvider.class).getToken()))
                .hasMessageContaining("invalid_client"));
    }

    @Test
    void clientSecretJwt() {
        client.withPropertyValues(TOKEN_URI, "api.auth.client-id=orders-csjwt", "api.auth.client-secret=" + JWT_SECRET,
                "api.auth.client-auth-method=client-secret-jwt")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                callTheApiTwiceWithFreshTokens(context);
            });
    }

    @Test
    void aTokenExchangeReadsTheSubjectTokenFileAgainWhenItChanges() throws IOException {
        Path subjectFile = Files.writeString(keys.resolve("subject-token"), clientCredentialsToken("orders-service",
                "orders-secret-123"));
        client.withPropertyValues(TOKEN_URI, "api.auth.client-id=orders-gateway",
                "api.auth.client-secret=orders-gateway-secret-123", "api.auth.grant-type=token-exchange",
                "api.auth.token-exchange.subject-token.location=" + subjectFile)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                WebClient webClient = context.getBean("apiWebClient", WebClient.class);
                TokenProvider provider = context.getBean(TokenProvider.class);
                assertThat(webClient.get().uri("/orders").retrieve().bodyToMono(String.class).block()).contains("coffee");
                assertThat(claims(provider.getToken().value())).contains("\"sub\":\"orders-service\"");

                // the file is rewritten, as Kubernetes does with a projected token, now for another subject
                Files.writeString(subjectFile, clientCredentialsToken("orders-batch", "orders-batch-secret-123"));
                Files.setLastModifiedTime(subjectFile, java.nio.file.attribute.FileTime.fromMillis(
                        Files.getLastModifiedTime(subjectFile).toMillis() + 10_000));
                provider.invalidate(provider.getToken());
                assertThat(webClient.get().uri("/orders").retrieve().bodyToMono(String.class).block()).contains("coffee");
                assertThat(claims(provider.getToken().value())).contains("\"sub\":\"orders-batch\"");
            });
    }

    private static String clientCredentialsToken(String clientId, String secret) {
        return AuthorizationServerApplication.clientCredentialsToken(PORT, clientId, secret);
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** Two token requests, so two assertions: the server would refuse a replayed one. */
    private static void callTheApiTwiceWithFreshTokens(ConfigurableApplicationContext context) {
        WebClient webClient = context.getBean("apiWebClient", WebClient.class);
        RestClient restClient = context.getBean("apiRestClient", RestClient.class);
        TokenProvider provider = context.getBean(TokenProvider.class);
        assertThat(webClient.get().uri("/orders").retrieve().bodyToMono(String.class).block()).contains("coffee");
        String first = provider.getToken().value();
        provider.invalidate(provider.getToken());
        assertThat(restClient.get().uri("/orders").retrieve().body(String.class)).contains("coffee");
        assertThat(provider.getToken().value()).isNotEqualTo(first);
        assertThat(new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]), StandardCharsets.UTF_8))
            .contains("\"sub\":\"" + context.getEnvironment().getProperty("api.auth.client-id") + "\"");
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
