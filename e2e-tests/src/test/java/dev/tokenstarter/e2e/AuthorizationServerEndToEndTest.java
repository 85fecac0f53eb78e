package dev.tokenstarter.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.e2e.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter against Spring Authorization Server and a JWT resource server, both running in-process on a
 * real port: tokens with a 3-second lifetime are fetched and refreshed across several lifetimes, with the
 * resource server allowing no clock skew; and a revoked token is replaced after one 401.
 */
class AuthorizationServerEndToEndTest {

    private static final int PORT = freePort();

    /** A second registered client whose tokens outlive the test, so only revocation can end them. */
    private static final String LONG_LIVED = "spring.security.oauth2.authorizationserver.client.batch.";

    private static ConfigurableApplicationContext authorizationServer;

    private final ApplicationContextRunner client = StarterContextRunner.create()
        .withPropertyValues("api.auth.token-uri=http://localhost:" + PORT + "/oauth2/token",
                "api.auth.client-id=orders-service", "api.auth.client-secret=orders-secret-123",
                "api.auth.scope=orders.read", "api.auth.base-url=http://localhost:" + PORT + "/api");

    @BeforeAll
    static void startAuthorizationServer() {
        String client = "spring.security.oauth2.authorizationserver.client.orders.";
        authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
            .properties("spring.config.name=e2e-authorization-server", "server.port=" + PORT,
                    client + "registration.client-id=orders-service",
                    client + "registration.client-secret={noop}orders-secret-123",
                    client + "registration.client-authentication-methods=client_secret_basic",
                    client + "registration.authorization-grant-types=client_credentials",
                    client + "registration.scopes=orders.read",
                    client + "token.access-token-time-to-live=3s",
                    LONG_LIVED + "registration.client-id=orders-batch",
                    LONG_LIVED + "registration.client-secret={noop}orders-batch-secret-123",
                    LONG_LIVED + "registration.client-authentication-methods=client_secret_basic",
                    LONG_LIVED + "registration.authorization-grant-types=client_credentials",
                    LONG_LIVED + "registration.scopes=orders.read",
                    LONG_LIVED + "token.access-token-time-to-live=10m")
            .run();
    }

    @AfterAll
    static void stopAuthorizationServer() {
        authorizationServer.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void callsSucceedAcrossSeveralTokenLifetimes() {
        client.run((context) -> {
            assertThat(context).hasNotFailed();
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);
            TokenProvider provider = context.getBean(TokenProvider.class);

            long end = System.nanoTime() + Duration.ofSeconds(7).toNanos();
            int calls = 0;
            while (System.nanoTime() < end) {
                assertThat(webClient.get().uri("/orders").retrieve().toBodilessEntity().block().getStatusCode().value())
                    .isEqualTo(200);
                assertThat(restClient.get().uri("/orders").retrieve().toBodilessEntity().getStatusCode().value())
                    .isEqualTo(200);
                calls += 2;
                Thread.sleep(100);
            }

            TokenState state = provider.state();
            assertThat(calls).isGreaterThan(50);
            assertThat(state.refreshCount()).as("tokens obtained in 7 s of 3 s tokens").isGreaterThanOrEqualTo(3);
            assertThat(state.rejections()).as("401s from the resource server").isZero();
        });
    }

    @Test
    void aRevokedTokenIsReplacedAfterOne401() {
        client.withPropertyValues("api.auth.refresh.eager=false", "api.auth.client-id=orders-batch",
                "api.auth.client-secret=orders-batch-secret-123").run((context) -> {
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);
            TokenProvider provider = context.getBean(TokenProvider.class);
            webClient.get().uri("/orders").retrieve().toBodilessEntity().block();
            String first = provider.state().token().value();

            AuthorizationServerApplication.REVOKED.add(jti(first));

            assertThat(webClient.get().uri("/orders").retrieve().toBodilessEntity().block().getStatusCode().value())
                .isEqualTo(200);
            assertThat(provider.state().token().value()).isNotEqualTo(first);
            assertThat(provider.state().rejections()).isEqualTo(1);
            assertThat(provider.state().refreshCount()).isEqualTo(2);

            AuthorizationServerApplication.REVOKED.add(jti(provider.state().token().value()));
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);
            assertThat(restClient.get().uri("/orders").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
            assertThat(provider.state().rejections()).isEqualTo(2);
        });
    }

    private static String jti(String jwt) {
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return JsonMapper.shared().readTree(new String(payload, StandardCharsets.UTF_8)).path("jti").stringValue();
    }
}
