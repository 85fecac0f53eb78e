package dev.tokenstarter.token.autoconfigure;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * A 401 retry or a body-keeping redirect re-sends the request: only when its body can be written again.
 * A streamed body is single-use, so such a request is handed back to the caller with the 401 or 3xx it got.
 */
class RequestBodyReplayTest {

    private static final String PAYLOAD = "payload-0123456789-".repeat(50);



    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();



    @BeforeEach
    void reset() {
        servers.endpoint().issueOnce("token-one-abcdef", 3600);
        servers.endpoint().issueOnce("token-two-abcdef", 3600);
    }

    private void run(Function<WebClient, Integer> call, int expectedStatus) {
        StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=http://localhost:" + servers.api().getPort(),
                    "api.auth.refresh.eager=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(call.apply(context.getBean("apiWebClient", WebClient.class))).isEqualTo(expectedStatus);
            });
    }

    private static Integer post(WebClient client, String path, Function<WebClient.RequestBodySpec, WebClient.RequestHeadersSpec<?>> body) {
        return body.apply(client.post().uri(path).contentType(MediaType.APPLICATION_OCTET_STREAM))
            .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
            .block();
    }

    private static WebClient.RequestHeadersSpec<?> streamed(WebClient.RequestBodySpec spec) {
        return spec.body(DataBufferUtils.readInputStream(() -> new ByteArrayInputStream(bytes()),
                DefaultDataBufferFactory.sharedInstance, 64), DataBuffer.class);
    }

    private static WebClient.RequestHeadersSpec<?> inputStreamResource(WebClient.RequestBodySpec spec) {
        return spec.bodyValue(new InputStreamResource(new ByteArrayInputStream(bytes())));
    }

    private static WebClient.RequestHeadersSpec<?> value(WebClient.RequestBodySpec spec) {
        return spec.bodyValue(bytes());
    }

    private static byte[] bytes() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    private static HttpRequest[] received(String path) {
        return servers.api().retrieveRecordedRequests(request().withPath(path));
    }

    private static void rejectOnceThenAccept(String path) {
        TokenEndpointMock.respondFirstOnce(servers.api(), request().withPath(path), response().withStatusCode(401));
        servers.api().when(request().withPath(path)).respond(json(200, "{}"));
    }

    @Test
    void aStreamedBodyIsNotRetriedAfter401AndTheTokenIsStillDropped() {
        rejectOnceThenAccept("/upload");

        run((client) -> {
            Integer status = post(client, "/upload", RequestBodyReplayTest::streamed);
            // the next call, whatever its body, gets a new token
            assertThat(post(client, "/upload", RequestBodyReplayTest::value)).isEqualTo(200);
            return status;
        }, 401);

        HttpRequest[] sent = received("/upload");
        assertThat(sent).hasSize(2);
        assertThat(sent[0].getBodyAsRawBytes()).isEqualTo(bytes());
        assertThat(sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
        assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");
        assertThat(servers.endpoint().requestCount()).isEqualTo(2);
    }

    @Test
    void anInputStreamResourceIsNotRetriedAfter401() {
        rejectOnceThenAccept("/upload");

        run((client) -> post(client, "/upload", RequestBodyReplayTest::inputStreamResource), 401);

        assertThat(received("/upload")).hasSize(1);
        assertThat(received("/upload")[0].getBodyAsRawBytes()).isEqualTo(bytes());
    }

    @Test
    void aValueBodyIsRetriedWhole() {
        rejectOnceThenAccept("/upload");

        run((client) -> post(client, "/upload", RequestBodyReplayTest::value), 200);

        HttpRequest[] sent = received("/upload");
        assertThat(sent).hasSize(2);
        assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");
        assertThat(sent).allSatisfy((request) -> assertThat(request.getBodyAsRawBytes()).isEqualTo(bytes()));
    }

    @Test
    void aStreamedBodyDoesNotFollowABodyKeepingRedirect() {
        servers.api().when(request().withPath("/old")).respond(response().withStatusCode(307).withHeader(HttpHeaders.LOCATION, "/new"));
        servers.api().when(request().withPath("/new")).respond(json(200, "{}"));

        run((client) -> post(client, "/old", RequestBodyReplayTest::streamed), 307);

        assertThat(received("/new")).isEmpty();
    }

    @Test
    void aValueBodyFollowsABodyKeepingRedirect() {
        servers.api().when(request().withPath("/old")).respond(response().withStatusCode(308).withHeader(HttpHeaders.LOCATION, "/new"));
        servers.api().when(request().withPath("/new")).respond(json(200, "{}"));

        run((client) -> post(client, "/old", RequestBodyReplayTest::value), 200);

        assertThat(received("/new")).hasSize(1);
        assertThat(received("/new")[0].getBodyAsRawBytes()).isEqualTo(bytes());
    }

    @Test
    void aLocationThatIsNotAValidUriIsHandedBackAsIs() {
        servers.api().when(request().withPath("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, "/new place?q=a b"));

        run((client) -> client.get().uri("/moved")
            .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
            .block(), 302);
        StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=http://localhost:" + servers.api().getPort(),
                    "api.auth.refresh.eager=false")
            .run((context) -> {
                Integer status = context.getBean("apiRestClient", RestClient.class).get().uri("/moved")
                    .exchange((request, response) -> response.getStatusCode().value());
                assertThat(status).isEqualTo(302);
            });
    }
}
