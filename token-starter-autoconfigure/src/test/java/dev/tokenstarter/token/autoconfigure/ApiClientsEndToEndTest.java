package dev.tokenstarter.token.autoconfigure;

import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.tokenstarter.token.TokenException;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.MalformedTokenResponseException;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.support.StarterContextRunner;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * The injected WebClient and RestClient against real HTTP servers: a token endpoint, the API, and a
 * foreign host that must never see the token.
 */
class ApiClientsEndToEndTest {

    private static ClientAndServer tokenServer;

    private static ClientAndServer apiServer;

    private static ClientAndServer foreignServer;

    private static TokenEndpointMock endpoint;

    /** For tests of one retry per call: several rejections in a row here are not a misconfigured API. */
    private static final String NO_REFETCH_LIMIT = "api.auth.refresh.min-refetch-interval=0s";

    @BeforeAll
    static void startServers() {
        tokenServer = ClientAndServer.startClientAndServer(0);
        apiServer = ClientAndServer.startClientAndServer(0);
        foreignServer = ClientAndServer.startClientAndServer(0);
        endpoint = new TokenEndpointMock(tokenServer);
    }

    @AfterAll
    static void stopServers() {
        tokenServer.stop();
        apiServer.stop();
        foreignServer.stop();
    }

    @BeforeEach
    void reset() {
        tokenServer.reset();
        apiServer.reset();
        foreignServer.reset();
        foreignServer.when(request()).respond(response().withStatusCode(200).withBody("foreign"));
    }

    private ApplicationContextRunner runner(String... extra) {
        return StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=" + apiUrl(),
                    "api.auth.refresh.eager=false")
            .withPropertyValues(extra);
    }

    private static String apiUrl() {
        return "http://localhost:" + apiServer.getPort();
    }

    private static String foreignUrl() {
        return "http://localhost:" + foreignServer.getPort();
    }

    private void run(Consumer<AssertableApplicationContext> test, String... extra) {
        runner(extra).run((context) -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    private static String getWithWebClient(AssertableApplicationContext context, String uri) {
        return context.getBean("apiWebClient", WebClient.class).get().uri(uri).retrieve().bodyToMono(String.class).block();
    }

    private static String getWithRestClient(AssertableApplicationContext context, String uri) {
        return context.getBean("apiRestClient", RestClient.class).get().uri(uri).retrieve().body(String.class);
    }

    private static HttpRequest apiRequest(String path) {
        return request().withPath(path);
    }

    private static String authorizationOf(ClientAndServer server, String path) {
        return server.retrieveRecordedRequests(request().withPath(path))[0].getFirstHeader(HttpHeaders.AUTHORIZATION);
    }

    @Test
    void webClientAndRestClientCarryTheBearerToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/orders")).respond(json(200, "[\"order-1\"]"));

        run((context) -> {
            assertThat(getWithWebClient(context, "/orders")).isEqualTo("[\"order-1\"]");
            assertThat(getWithRestClient(context, "/orders")).isEqualTo("[\"order-1\"]");
            for (HttpRequest sent : apiServer.retrieveRecordedRequests(apiRequest("/orders"))) {
                assertThat(sent.getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
            }
            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/orders"))).hasSize(2);
            assertThat(endpoint.requestCount()).isEqualTo(1);
        });
    }

    @Test
    void aForeignHostNeverReceivesTheToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);

        run((context) -> {
            assertThat(getWithWebClient(context, foreignUrl() + "/webclient")).isEqualTo("foreign");
            assertThat(getWithRestClient(context, foreignUrl() + "/restclient")).isEqualTo("foreign");
            assertThat(foreignServer.retrieveRecordedRequests(request())).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
            assertThat(endpoint.requestCount()).isZero();
        });
    }

    @Test
    void aRequestWithItsOwnAuthorizationIsLeftAlone() {
        apiServer.when(apiRequest("/own")).respond(json(200, "{}"));

        run((context) -> {
            context.getBean("apiWebClient", WebClient.class).get().uri("/own").header(HttpHeaders.AUTHORIZATION, "Basic abc")
                .retrieve().toBodilessEntity().block();
            assertThat(authorizationOf(apiServer, "/own")).isEqualTo("Basic abc");
            assertThat(endpoint.requestCount()).isZero();
        });
    }

    @Test
    void a401RefreshesOnceAndRetriesOnce() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        endpoint.issueOnce("token-three-abcd", 3600);
        TokenEndpointMock.respondFirstOnce(apiServer, apiRequest("/orders"), response().withStatusCode(401));
        apiServer.when(apiRequest("/orders")).respond(json(200, "[]"));

        run((context) -> {
            assertThat(getWithWebClient(context, "/orders")).isEqualTo("[]");
            assertThat(endpoint.requestCount()).isEqualTo(2);
            HttpRequest[] sent = apiServer.retrieveRecordedRequests(apiRequest("/orders"));
            assertThat(sent).hasSize(2);
            assertThat(sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
            assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");

            apiServer.clear(apiRequest("/orders"));
            TokenEndpointMock.respondFirstOnce(apiServer, apiRequest("/orders"), response().withStatusCode(401));
            apiServer.when(apiRequest("/orders")).respond(json(200, "[]"));
            assertThat(getWithRestClient(context, "/orders")).isEqualTo("[]");
            assertThat(endpoint.requestCount()).isEqualTo(3);
        }, NO_REFETCH_LIMIT);
    }

    @Test
    void aSecond401IsReturnedToTheCaller() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        endpoint.issueOnce("token-three-abcd", 3600);
        endpoint.issueOnce("token-four-abcde", 3600);
        apiServer.when(apiRequest("/denied")).respond(response().withStatusCode(401));

        run((context) -> {
            assertThatThrownBy(() -> getWithWebClient(context, "/denied"))
                .isInstanceOf(WebClientResponseException.Unauthorized.class);
            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/denied"))).hasSize(2);
            assertThat(endpoint.requestCount()).isEqualTo(2);

            assertThatThrownBy(() -> getWithRestClient(context, "/denied"))
                .isInstanceOf(HttpClientErrorException.Unauthorized.class);
            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/denied"))).hasSize(4);
            // the retry's token was rejected too, so it is not used again: without a refetch limit, two more
            assertThat(endpoint.requestCount()).isEqualTo(4);
        }, NO_REFETCH_LIMIT);
    }

    @Test
    void aRedirectToAnotherOriginDoesNotCarryTheToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, foreignUrl() + "/landing"));

        run((context) -> {
            assertThat(getWithWebClient(context, "/moved")).isEqualTo("foreign");
            assertThat(getWithRestClient(context, "/moved")).isEqualTo("foreign");
            assertThat(authorizationOf(apiServer, "/moved")).isEqualTo("Bearer token-one-abcdef");
            assertThat(foreignServer.retrieveRecordedRequests(request().withPath("/landing"))).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/old")).respond(response().withStatusCode(307).withHeader(HttpHeaders.LOCATION, "/new"));
        apiServer.when(apiRequest("/new")).respond(json(200, "\"new\""));

        run((context) -> {
            assertThat(getWithWebClient(context, "/old")).isEqualTo("\"new\"");
            assertThat(authorizationOf(apiServer, "/new")).isEqualTo("Bearer token-one-abcdef");
        });
    }

    @Test
    void whenRedirectsAreNotFollowedTheCallerSeesThe3xx() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, foreignUrl() + "/landing"));

        run((context) -> {
            Integer status = context.getBean("apiWebClient", WebClient.class).get().uri("/moved")
                .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())).block();
            assertThat(status).isEqualTo(302);
            assertThat(foreignServer.retrieveRecordedRequests(request().withPath("/landing"))).isEmpty();
        }, "spring.http.clients.redirects=dont-follow");
    }

    @Test
    void applyToAllClientsScopesTheTokenToTheApi() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/any")).respond(json(200, "{}"));

        run((context) -> {
            WebClient webClient = context.getBean(WebClient.Builder.class).build();
            webClient.get().uri(apiUrl() + "/any").retrieve().toBodilessEntity().block();
            webClient.get().uri(foreignUrl() + "/any").retrieve().toBodilessEntity().block();
            RestClient restClient = context.getBean(RestClient.Builder.class).build();
            restClient.get().uri(apiUrl() + "/any").retrieve().toBodilessEntity();
            restClient.get().uri(foreignUrl() + "/any").retrieve().toBodilessEntity();

            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/any"))).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.getFirstHeader(HttpHeaders.AUTHORIZATION))
                    .isEqualTo("Bearer token-one-abcdef"));
            assertThat(foreignServer.retrieveRecordedRequests(request().withPath("/any"))).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        }, "api.auth.apply-to-all-clients=true");
    }

    @Test
    void applyToAllClientsKeepsTheTokenOffRedirectsToAnotherOrigin() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, foreignUrl() + "/landing"));

        run((context) -> {
            WebClient webClient = context.getBean(WebClient.Builder.class).build();
            RestClient restClient = context.getBean(RestClient.Builder.class).build();
            assertThat(webClient.get().uri(apiUrl() + "/moved").retrieve().bodyToMono(String.class).block())
                .isEqualTo("foreign");
            assertThat(restClient.get().uri(apiUrl() + "/moved").retrieve().body(String.class)).isEqualTo("foreign");
            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/moved"))).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.getFirstHeader(HttpHeaders.AUTHORIZATION))
                    .isEqualTo("Bearer token-one-abcdef"));
            assertThat(foreignServer.retrieveRecordedRequests(request().withPath("/landing"))).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        }, "api.auth.apply-to-all-clients=true");
    }

    @Test
    void aRetriedExchangeSendsTheTokenOfItsOwnSubscription() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        TokenEndpointMock.respondFirstOnce(apiServer, apiRequest("/flaky"), response().withStatusCode(503));
        apiServer.when(apiRequest("/flaky")).respond(json(200, "{}"));

        run((context) -> {
            TokenProvider provider = context.getBean(TokenProvider.class);
            context.getBean("apiWebClient", WebClient.class).get().uri("/flaky").retrieve().toBodilessEntity()
                .doOnError((error) -> provider.invalidate(provider.state().token()))
                .retry(1)
                .block();
            HttpRequest[] sent = apiServer.retrieveRecordedRequests(apiRequest("/flaky"));
            assertThat(sent).hasSize(2);
            assertThat(sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
            assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");
        });
    }

    @Test
    void aTokenWithCrLfNeverReachesAHeader() {
        endpoint.respondOnce(json(200, "{\"access_token\":\"evil-token\\r\\nX-Injected: yes\",\"token_type\":\"bearer\","
                + "\"expires_in\":3600}"));
        endpoint.respondOnce(json(200, "{\"access_token\":\"evil-token\\nX-Injected: yes\",\"expires_in\":3600}"));
        apiServer.when(apiRequest("/orders")).respond(json(200, "[]"));

        run((context) -> {
            assertThatThrownBy(() -> getWithWebClient(context, "/orders"))
                .isInstanceOf(MalformedTokenResponseException.class).hasMessageContaining("inject HTTP headers");
            // the second caller may fail fast while the refresher retries; either way the cause is named
            assertThatThrownBy(() -> getWithRestClient(context, "/orders"))
                .isInstanceOf(TokenException.class).hasMessageContaining("inject HTTP headers");
            assertThat(apiServer.retrieveRecordedRequests(apiRequest("/orders"))).isEmpty();
        }, "api.auth.refresh.retry.initial-backoff=0s", "api.auth.refresh.retry.max-backoff=0s");
    }

    @Test
    void aCustomHeaderAndSchemeAreUsed() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        apiServer.when(apiRequest("/custom")).respond(json(200, "{}"));

        run((context) -> {
            getWithRestClient(context, "/custom");
            HttpRequest sent = apiServer.retrieveRecordedRequests(apiRequest("/custom"))[0];
            assertThat(sent.getFirstHeader("X-Auth-Token")).isEqualTo("token-one-abcdef");
            assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        }, "api.auth.header.name=X-Auth-Token", "api.auth.header.scheme=");
    }
}
