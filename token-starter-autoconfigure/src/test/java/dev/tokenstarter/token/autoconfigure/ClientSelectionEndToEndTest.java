package dev.tokenstarter.token.autoconfigure;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockserver.model.HttpRequest.request;

/**
 * The client chosen per request ({@link TokenClients#client(String)}): two clients, each with its own token
 * endpoint and API, and a gateway both may call; one WebClient and one RestClient built from Spring Boot's
 * builders with {@code apply-to-all-clients}. Each request carries the token of the client it selects, and
 * only within that client's destinations; the preconfigured clients and an unknown name fail clearly.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientSelectionEndToEndTest {

    /** The gateway both clients may call (their {@code allowed-hosts}), and a foreign host neither may. */
    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();

    private static LoopbackTokenEndpoint orders;

    private static LoopbackTokenEndpoint billing;

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

    @BeforeAll
    static void startEndpoints() {
        orders = LoopbackTokenEndpoint.builder().tokenPrefix("orders-token").start();
        billing = LoopbackTokenEndpoint.builder().tokenPrefix("billing-token").start();
    }

    @AfterAll
    static void stopEndpoints() {
        orders.close();
        billing.close();
    }

    @BeforeEach
    void reset() {
        orders.resetCounts();
        billing.resetCounts();
        servers.api().when(request()).respond(json(200, "\"gateway\""));
        servers.foreign().when(request()).respond(json(200, "\"foreign\""));
        logging.setLogLevel(TokenAuthorizer.class.getName(), LogLevel.DEBUG);
    }

    @AfterEach
    void resetLogLevel() {
        logging.setLogLevel(TokenAuthorizer.class.getName(), null);
    }

    private static ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withPropertyValues("api.auth.apply-to-all-clients=true",
                    "api.auth.clients.orders.token-uri=" + orders.uri(), "api.auth.clients.orders.client-id=orders",
                    "api.auth.clients.orders.client-secret=orders-secret-123",
                    "api.auth.clients.orders.base-url=" + orders.apiUri(),
                    "api.auth.clients.orders.allowed-hosts=" + servers.apiUrl(),
                    "api.auth.clients.orders.refresh.eager=false",
                    "api.auth.clients.billing.token-uri=" + billing.uri(), "api.auth.clients.billing.client-id=billing",
                    "api.auth.clients.billing.client-secret=billing-secret-12",
                    "api.auth.clients.billing.base-url=" + billing.apiUri(),
                    "api.auth.clients.billing.allowed-hosts=" + servers.apiUrl(),
                    "api.auth.clients.billing.refresh.eager=false");
    }

    private static String gateway(String path) {
        return servers.apiUrl() + path;
    }

    private static String authorizationAt(String path) {
        HttpRequest[] sent = servers.api().retrieveRecordedRequests(request().withPath(path));
        assertThat(sent).as("requests to %s", path).hasSize(1);
        return sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION);
    }

    private static int webStatus(WebClient client, URI uri, String selected) {
        return client.get().uri(uri).attributes(TokenClients.client(selected))
            .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
            .block();
    }

    private static int restStatus(RestClient client, URI uri, String selected) {
        return client.get().uri(uri).attributes(TokenClients.client(selected))
            .exchange((request, response) -> response.getStatusCode().value());
    }

    private static void run(ContextTest test) {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            test.run(context, context.getBean(WebClient.Builder.class).build(),
                    context.getBean(RestClient.Builder.class).build());
        });
    }

    @Test
    void eachRequestCarriesTheTokenOfTheClientItSelects() {
        run((context, webClient, restClient) -> {
            for (String client : new String[] { "orders", "billing" }) {
                webClient.get().uri(gateway("/web/" + client)).attributes(TokenClients.client(client))
                    .retrieve().toBodilessEntity().block();
                restClient.get().uri(gateway("/rest/" + client)).attributes(TokenClients.client(client))
                    .retrieve().toBodilessEntity();
            }

            assertThat(authorizationAt("/web/orders")).isEqualTo("Bearer orders-token-1");
            assertThat(authorizationAt("/rest/orders")).isEqualTo("Bearer orders-token-1");
            assertThat(authorizationAt("/web/billing")).isEqualTo("Bearer billing-token-1");
            assertThat(authorizationAt("/rest/billing")).isEqualTo("Bearer billing-token-1");
            assertThat(orders.issuedCount()).isEqualTo(1);
            assertThat(billing.issuedCount()).isEqualTo(1);
            // each client's own API, as selected and as without a selection, accepts what it got
            URI ordersApi = URI.create(orders.apiUri() + "/orders");
            URI billingApi = URI.create(billing.apiUri() + "/bills");
            assertThat(webStatus(webClient, ordersApi, "orders")).isEqualTo(200);
            assertThat(restStatus(restClient, billingApi, "billing")).isEqualTo(200);
            assertThat(webClient.get().uri(billingApi).retrieve().toBodilessEntity().block().getStatusCode().value())
                .isEqualTo(200);
            assertThat(restClient.get().uri(ordersApi).retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
            assertThat(orders.apiCalls(TokenStatus.VALID)).isEqualTo(2);
            assertThat(billing.apiCalls(TokenStatus.VALID)).isEqualTo(2);
        });
    }

    @Test
    void aRequestOutsideTheSelectedClientsDestinationsCarriesNoToken(CapturedOutput output) {
        run((context, webClient, restClient) -> {
            // the orders API is in orders' destinations, not in billing's: selecting billing sends neither token
            URI ordersApi = URI.create(orders.apiUri() + "/orders?page=2");
            assertThat(webStatus(webClient, ordersApi, "billing")).isEqualTo(401);
            assertThat(restStatus(restClient, ordersApi, "billing")).isEqualTo(401);
            URI foreign = URI.create("http://localhost:" + servers.foreign().getPort() + "/elsewhere");
            assertThat(webStatus(webClient, foreign, "orders")).isEqualTo(200);
            assertThat(restStatus(restClient, foreign, "orders")).isEqualTo(200);

            assertThat(orders.apiCalls(TokenStatus.UNKNOWN)).as("calls to the orders API without a token").isEqualTo(2);
            assertThat(orders.apiCalls()).isEqualTo(2);
            assertThat(servers.foreign().retrieveRecordedRequests(request())).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
            assertThat(orders.issuedCount() + billing.issuedCount()).as("tokens fetched").isZero();
            assertThat(output).contains("A request to " + orders.apiUri() + "/orders selects token client 'billing' "
                    + "but lies outside its destinations (")
                .contains("selects token client 'orders' but lies outside its destinations")
                .doesNotContain("page=2");
        });
    }

    @Test
    void aPreconfiguredClientSelectingAnotherClientFailsTheCall() {
        run((context, webClient, restClient) -> {
            WebClient ordersWebClient = context.getBean("ordersWebClient", WebClient.class);
            RestClient ordersRestClient = context.getBean("ordersRestClient", RestClient.class);

            assertThatThrownBy(() -> ordersWebClient.get().uri("/orders").attributes(TokenClients.client("billing"))
                .retrieve().toBodilessEntity().block())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("selects token client 'billing'")
                .hasMessageContaining("WebClient dedicated to token client 'orders' (bean 'ordersWebClient'")
                .hasMessageContaining("Call through 'billingWebClient'")
                .hasMessageContaining("api.auth.apply-to-all-clients=true");
            assertThatThrownBy(() -> ordersRestClient.get().uri("/orders").attributes(TokenClients.client("billing"))
                .retrieve().toBodilessEntity())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RestClient dedicated to token client 'orders' (bean 'ordersRestClient'")
                .hasMessageContaining("Call through 'billingRestClient'");
            assertThat(orders.apiCalls() + billing.apiCalls()).as("calls that went out").isZero();

            // selecting the client's own name there is harmless
            assertThat(ordersWebClient.get().uri("/orders").attributes(TokenClients.client("orders"))
                .retrieve().toBodilessEntity().block().getStatusCode().value()).isEqualTo(200);
            assertThat(ordersRestClient.get().uri("/orders").attributes(TokenClients.client("orders"))
                .retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
            assertThat(orders.apiCalls(TokenStatus.VALID)).isEqualTo(2);
        });
    }

    @Test
    void anUnknownClientNameFailsTheCall() {
        run((context, webClient, restClient) -> {
            assertThatThrownBy(() -> webClient.get().uri(gateway("/web")).attributes(TokenClients.client("shipping"))
                .retrieve().toBodilessEntity().block())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A request selects token client 'shipping' (TokenClients.client), but no token client has "
                        + "that name; configured: [orders, billing]");
            assertThatThrownBy(() -> restClient.get().uri(gateway("/rest")).attributes(TokenClients.client("shipping"))
                .retrieve().toBodilessEntity())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configured: [orders, billing]");
            assertThatThrownBy(() -> context.getBean("billingRestClient", RestClient.class).get().uri("/bills")
                .attributes(TokenClients.client("shipping")).retrieve().toBodilessEntity())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'shipping'");
            assertThat(servers.api().retrieveRecordedRequests(request())).isEmpty();
            assertThat(billing.apiCalls()).isZero();
        });
    }

    /** A test against the running context, its shared WebClient and its shared RestClient. */
    @FunctionalInterface
    private interface ContextTest {

        void run(AssertableApplicationContext context, WebClient webClient, RestClient restClient);
    }
}
