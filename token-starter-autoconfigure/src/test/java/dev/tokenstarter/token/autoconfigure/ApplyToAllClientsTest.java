package dev.tokenstarter.token.autoconfigure;

import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * {@code apply-to-all-clients} with more than one client: every interceptor sits on every client the
 * application builds, and each must only ever touch the header it added itself.
 */
class ApplyToAllClientsTest {

    private static ClientAndServer ordersTokens;

    private static ClientAndServer billingTokens;

    private static ClientAndServer ordersApi;

    private static ClientAndServer billingApi;

    private static TokenEndpointMock ordersEndpoint;

    private static TokenEndpointMock billingEndpoint;

    @BeforeAll
    static void startServers() {
        ordersTokens = ClientAndServer.startClientAndServer(0);
        billingTokens = ClientAndServer.startClientAndServer(0);
        ordersApi = ClientAndServer.startClientAndServer(0);
        billingApi = ClientAndServer.startClientAndServer(0);
        ordersEndpoint = new TokenEndpointMock(ordersTokens);
        billingEndpoint = new TokenEndpointMock(billingTokens);
    }

    @AfterAll
    static void stopServers() {
        for (ClientAndServer server : new ClientAndServer[] { ordersTokens, billingTokens, ordersApi, billingApi }) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        for (ClientAndServer server : new ClientAndServer[] { ordersTokens, billingTokens, ordersApi, billingApi }) {
            server.reset();
        }
        // each API accepts only its own token, as a strict resource server does
        ordersApi.when(request().withHeader(HttpHeaders.AUTHORIZATION, "Bearer orders-token-1")).respond(json(200, "\"orders\""));
        ordersApi.when(request()).respond(response().withStatusCode(401));
        billingApi.when(request().withHeader(HttpHeaders.AUTHORIZATION, "Bearer billing-token-1")).respond(json(200, "\"billing\""));
        billingApi.when(request()).respond(response().withStatusCode(401));
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withPropertyValues("api.auth.apply-to-all-clients=true",
                    "api.auth.clients.orders.token-uri=" + ordersEndpoint.uri(), "api.auth.clients.orders.client-id=orders",
                    "api.auth.clients.orders.client-secret=orders-secret-123",
                    "api.auth.clients.orders.base-url=" + url(ordersApi), "api.auth.clients.orders.refresh.eager=false",
                    "api.auth.clients.billing.token-uri=" + billingEndpoint.uri(),
                    "api.auth.clients.billing.client-id=billing", "api.auth.clients.billing.client-secret=billing-secret-12",
                    "api.auth.clients.billing.base-url=" + url(billingApi), "api.auth.clients.billing.refresh.eager=false");
    }

    private static String url(ClientAndServer server) {
        return "http://localhost:" + server.getPort();
    }

    private static HttpRequest[] sent(ClientAndServer server) {
        return server.retrieveRecordedRequests(request());
    }

    private static long withoutToken(ClientAndServer server) {
        return Arrays.stream(sent(server)).filter((sent) -> !sent.containsHeader(HttpHeaders.AUTHORIZATION)).count();
    }

    @Test
    void everyInterceptorLeavesTheOthersTokenAlone() {
        // as many tokens as asked for, so that extra token requests show up in the counts rather than as errors
        ordersTokens.when(TokenEndpointMock.tokenRequest()).respond(json(200, TokenEndpointMock.tokenJson("orders-token-1", 3600)));
        billingTokens.when(TokenEndpointMock.tokenRequest()).respond(json(200, TokenEndpointMock.tokenJson("billing-token-1", 3600)));

        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            RestClient restClient = context.getBean(RestClient.Builder.class).build();
            RestTemplate restTemplate = context.getBean(RestTemplateBuilder.class).build();
            for (int i = 0; i < 25; i++) { // 100 calls
                assertThat(restClient.get().uri(url(ordersApi) + "/orders").retrieve().body(String.class))
                    .isEqualTo("\"orders\"");
                assertThat(restClient.get().uri(url(billingApi) + "/bills").retrieve().body(String.class))
                    .isEqualTo("\"billing\"");
                assertThat(restTemplate.getForObject(url(ordersApi) + "/orders", String.class)).isEqualTo("\"orders\"");
                assertThat(restTemplate.getForObject(url(billingApi) + "/bills", String.class)).isEqualTo("\"billing\"");
            }

            System.out.printf("apply-to-all, 2 clients, 100 calls: %d requests without a token, %d API requests, "
                    + "%d token requests%n", withoutToken(ordersApi) + withoutToken(billingApi),
                    sent(ordersApi).length + sent(billingApi).length,
                    ordersEndpoint.requestCount() + billingEndpoint.requestCount());
            assertThat(withoutToken(ordersApi)).isZero();
            assertThat(withoutToken(billingApi)).isZero();
            assertThat(sent(ordersApi)).hasSize(50);
            assertThat(sent(billingApi)).hasSize(50);
            assertThat(ordersEndpoint.requestCount()).isEqualTo(1);
            assertThat(billingEndpoint.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void anOuterInterceptorThatReExecutesAfterAnInvalidationSendsTheNewToken() {
        ordersEndpoint.issueOnce("orders-token-0", 3600);
        ordersEndpoint.issueOnce("orders-token-1", 3600);

        runner().run((context) -> {
            TokenProvider orders = context.getBean("ordersTokenProvider", TokenProvider.class);
            // an application's own retry, outside the starter's interceptors: on 503 it drops the token and tries again
            ordersApi.clear(request());
            TokenEndpointMock.respondFirstOnce(ordersApi, request(), response().withStatusCode(503));
            ordersApi.when(request().withHeader(HttpHeaders.AUTHORIZATION, "Bearer orders-token-1")).respond(json(200, "\"orders\""));
            ordersApi.when(request()).respond(response().withStatusCode(401));
            ClientHttpRequestInterceptor retry = (request, body, execution) -> {
                ClientHttpResponse response = execution.execute(request, body);
                if (response.getStatusCode().value() != 503) {
                    return response;
                }
                response.close();
                orders.invalidate(orders.state().token());
                return execution.execute(request, body);
            };
            RestClient restClient = context.getBean(RestClient.Builder.class)
                .requestInterceptors((list) -> list.add(0, retry))
                .build();

            assertThat(restClient.get().uri(url(ordersApi) + "/orders").retrieve().body(String.class)).isEqualTo("\"orders\"");

            HttpRequest[] sent = sent(ordersApi);
            assertThat(sent).hasSize(2);
            assertThat(sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer orders-token-0");
            assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer orders-token-1");
            assertThat(ordersEndpoint.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void twoClientsBehindOneGatewayEachGetTheirOwnPaths() {
        ordersEndpoint.issueOnce("orders-token-1", 3600);
        billingEndpoint.issueOnce("billing-token-1", 3600);
        ClientAndServer gateway = ordersApi;
        gateway.reset();
        gateway.when(request()).respond(json(200, "{}"));

        StarterContextRunner.create()
            .withPropertyValues("api.auth.apply-to-all-clients=true",
                    "api.auth.clients.orders.token-uri=" + ordersEndpoint.uri(), "api.auth.clients.orders.client-id=orders",
                    "api.auth.clients.orders.client-secret=orders-secret-123",
                    "api.auth.clients.orders.base-url=" + url(gateway) + "/orders", "api.auth.clients.orders.refresh.eager=false",
                    "api.auth.clients.billing.token-uri=" + billingEndpoint.uri(),
                    "api.auth.clients.billing.client-id=billing", "api.auth.clients.billing.client-secret=billing-secret-12",
                    "api.auth.clients.billing.base-url=" + url(gateway) + "/payments", "api.auth.clients.billing.refresh.eager=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                RestClient restClient = context.getBean(RestClient.Builder.class).build();
                WebClient webClient = context.getBean(WebClient.Builder.class).build();
                for (String path : new String[] { "/orders/1", "/payments/1", "/other" }) {
                    restClient.get().uri(url(gateway) + path).retrieve().toBodilessEntity();
                    webClient.get().uri(url(gateway) + path).retrieve().toBodilessEntity().block();
                }
                // the preconfigured clients stay within their own paths too
                context.getBean("ordersRestClient", RestClient.class).get().uri("/2").retrieve().toBodilessEntity();
                context.getBean("billingWebClient", WebClient.class).get().uri("/2").retrieve().toBodilessEntity().block();
            });

        assertThat(gateway.retrieveRecordedRequests(request().withPath("/orders/.*")))
            .hasSize(3)
            .allSatisfy((sent) -> assertThat(sent.getHeader(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer orders-token-1"));
        assertThat(gateway.retrieveRecordedRequests(request().withPath("/payments/.*")))
            .hasSize(3)
            .allSatisfy((sent) -> assertThat(sent.getHeader(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer billing-token-1"));
        assertThat(gateway.retrieveRecordedRequests(request().withPath("/other")))
            .hasSize(2)
            .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
    }
}
