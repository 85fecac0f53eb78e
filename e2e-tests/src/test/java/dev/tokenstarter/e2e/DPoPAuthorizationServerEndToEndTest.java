package dev.tokenstarter.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.e2e.support.StarterContextRunner;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.dpop.DPoPAlgorithm;
import dev.tokenstarter.token.internal.dpop.DPoPKey;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP against Spring Authorization Server and Spring Security's resource server, in-process: with
 * {@code dpop.enabled} the server issues DPoP-bound tokens ({@code token_type: DPoP}, {@code cnf.jkt}), the
 * starter's WebClient and RestClient calls with them succeed, and the same token without a proof, with a
 * proof of another key, or as a Bearer token is refused.
 */
class DPoPAuthorizationServerEndToEndTest {

    private static final int PORT = freePort();

    private static ConfigurableApplicationContext authorizationServer;

    private final ApplicationContextRunner client = StarterContextRunner.create()
        .withPropertyValues("api.auth.token-uri=http://localhost:" + PORT + "/oauth2/token",
                "api.auth.client-id=orders-service", "api.auth.client-secret=orders-secret-123",
                "api.auth.scope=orders.read", "api.auth.base-url=http://localhost:" + PORT + "/api",
                "api.auth.dpop.enabled=true");

    @BeforeAll
    static void startAuthorizationServer() {
        String client = "spring.security.oauth2.authorizationserver.client.orders.";
        authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
            .properties("spring.config.name=e2e-authorization-server", "server.port=" + PORT,
                    client + "registration.client-id=orders-service",
                    client + "registration.client-secret={noop}orders-secret-123",
                    client + "registration.client-authentication-methods=client_secret_basic",
                    client + "registration.authorization-grant-types=client_credentials",
                    client + "registration.scopes=orders.read")
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
    void callsWithADPoPBoundTokenSucceedAndTheTokenIsUselessWithoutTheKey() {
        client.run((context) -> {
            assertThat(context).hasNotFailed();
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);

            for (int i = 0; i < 3; i++) {
                assertThat(webClient.get().uri("/orders?page=" + i).retrieve().toBodilessEntity().block()
                    .getStatusCode().value()).isEqualTo(200);
                assertThat(restClient.get().uri("/orders?page=" + i).retrieve().toBodilessEntity().getStatusCode()
                    .value()).isEqualTo(200);
            }

            TokenProvider provider = context.getBean(TokenProvider.class);
            AccessToken token = provider.state().token();
            assertThat(token.tokenType()).isEqualToIgnoringCase("DPoP");
            assertThat(claims(token.value()).path("cnf").path("jkt").stringValue()).as("bound to a key").isNotEmpty();
            assertThat(provider.state().rejections()).isZero();

            URI orders = URI.create("http://localhost:" + PORT + "/api/orders");
            RestClient plain = RestClient.create();
            assertThat(status(plain.get().uri(orders).header("Authorization", "DPoP " + token.value())))
                .as("no proof").isEqualTo(401);
            String otherKeysProof = new DPoPProofs(DPoPKey.generate(DPoPAlgorithm.ES256), Clock.systemUTC())
                .create("GET", orders, token.value());
            assertThat(status(plain.get().uri(orders).header("Authorization", "DPoP " + token.value())
                .header("DPoP", otherKeysProof))).as("a proof of another key").isEqualTo(401);
            assertThat(status(plain.get().uri(orders).header("Authorization", "Bearer " + token.value())))
                .as("presented as a Bearer token").isEqualTo(401);
        });
    }

    private static int status(RestClient.RequestHeadersSpec<?> request) {
        return request.exchange((req, response) -> response.getStatusCode().value());
    }

    private static JsonNode claims(String jwt) {
        return JsonMapper.shared().readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8));
    }
}
