package dev.tokenstarter.token.obo;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;

import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * {@code on-behalf-of.mode=relay}: the incoming token reaches the client's API unchanged, and nothing else: not
 * another origin called with a full URL on the same client, not the target of a redirect to another origin.
 */
class RelayTest {

    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();

    private final Authentication alice = bearer("incoming-alice-token", Instant.now(),
            Instant.now().plus(Duration.ofHours(1)));

    @BeforeEach
    void answer() {
        servers.api().when(request().withPath("/orders")).respond(json(200, "[\"order-1\"]"));
        servers.api().when(request().withPath("/rejecting")).respond(response().withStatusCode(401));
        servers.api().when(request().withPath("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, foreignUrl() + "/landing"));
        servers.api().when(request().withPath("/renamed")).respond(response().withStatusCode(307)
            .withHeader(HttpHeaders.LOCATION, servers.apiUrl() + "/orders"));
        servers.foreign().when(request()).respond(json(200, "\"foreign\""));
    }

    private static String foreignUrl() {
        return "http://127.0.0.1:" + servers.foreign().getPort();
    }

    private void run(Consumer<AssertableApplicationContext> test) {
        StarterContextRunner.create()
            .withPropertyValues("api.auth.on-behalf-of.mode=relay", "api.auth.base-url=" + servers.apiUrl())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                test.accept(context);
            });
    }

    private static int statusWithRestClient(AssertableApplicationContext context, String uri) {
        return context.getBean("apiRestClient", RestClient.class).get().uri(uri)
            .exchange((request, response) -> response.getStatusCode().value());
    }

    private static int statusWithWebClient(AssertableApplicationContext context, String uri) {
        return context.getBean("apiWebClient", WebClient.class).get().uri(uri)
            .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
            .block();
    }

    private static HttpRequest[] received(ClientAndServer server, String path) {
        return server.retrieveRecordedRequests(request().withPath(path));
    }

    @Test
    void theIncomingTokenReachesTheApiUnchanged() {
        run((context) -> {
            assertThat(as(alice, () -> statusWithRestClient(context, "/orders"))).isEqualTo(200);
            assertThat(as(alice, () -> statusWithWebClient(context, "/orders"))).isEqualTo(200);

            assertThat(received(servers.api(), "/orders")).hasSize(2).allSatisfy((sent) -> assertThat(
                    sent.getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer incoming-alice-token"));
            assertThat(servers.tokens().retrieveRecordedRequests(request())).as("no token endpoint is called").isEmpty();
        });
    }

    @Test
    void anotherOriginCalledWithAFullUrlOnTheSameClientGetsNoToken() {
        run((context) -> {
            assertThat(as(alice, () -> statusWithRestClient(context, foreignUrl() + "/elsewhere"))).isEqualTo(200);
            assertThat(as(alice, () -> statusWithWebClient(context, foreignUrl() + "/elsewhere"))).isEqualTo(200);

            assertThat(received(servers.foreign(), "/elsewhere")).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    @Test
    void aRedirectToAnotherOriginDoesNotCarryTheToken() {
        run((context) -> {
            int restClient = as(alice, () -> statusWithRestClient(context, "/moved"));
            int webClient = as(alice, () -> statusWithWebClient(context, "/moved"));

            assertThat(received(servers.api(), "/moved")).hasSize(2).allSatisfy((sent) -> assertThat(
                    sent.getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer incoming-alice-token"));
            HttpRequest[] landed = received(servers.foreign(), "/landing");
            assertThat(restClient).as("the RestClient follows the redirect").isEqualTo(200);
            assertThat(webClient).as("the WebClient follows the redirect").isEqualTo(200);
            assertThat(landed).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    /**
     * A relayed token never crosses a redirect, not even one within the API's origin: only the request the
     * application made carries it. (The RestClient carried it on such a hop; the WebClient, following it on an
     * event loop, failed the call for want of a user.)
     */
    @Test
    void aRedirectWithinTheApiDoesNotCarryTheIncomingToken() {
        run((context) -> {
            assertThat(as(alice, () -> statusWithRestClient(context, "/renamed"))).isEqualTo(200);
            assertThat(as(alice, () -> statusWithWebClient(context, "/renamed"))).isEqualTo(200);

            assertThat(received(servers.api(), "/renamed")).hasSize(2).allSatisfy((sent) -> assertThat(
                    sent.getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer incoming-alice-token"));
            assertThat(received(servers.api(), "/orders")).hasSize(2)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    @Test
    void aRejectedIncomingTokenIsTheCallersAnswerAndNotRetried() {
        run((context) -> {
            assertThat(as(alice, () -> statusWithRestClient(context, "/rejecting"))).isEqualTo(401);
            assertThat(as(alice, () -> statusWithWebClient(context, "/rejecting"))).isEqualTo(401);

            assertThat(received(servers.api(), "/rejecting")).hasSize(2);
        });
    }

    @Test
    void withoutAnIncomingTokenNothingIsSent() {
        run((context) -> {
            assertThat(Subjects.unavailable(() -> statusWithRestClient(context, "/orders")))
                .hasMessageContaining("No incoming token for client 'api'");
            assertThat(Subjects.unavailable(() -> statusWithWebClient(context, "/orders")))
                .hasMessageContaining("No incoming token for client 'api'");

            assertThat(received(servers.api(), "/orders")).isEmpty();
        });
    }
}
