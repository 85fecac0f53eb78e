package dev.tokenstarter.e2e;

import org.junit.jupiter.api.Test;
import org.mockserver.client.MockServerClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.autoconfigure.TokenClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * The same token endpoint + API round trip as {@code ApiClientsEndToEndTest} (which runs in-process on
 * every build), against MockServer in a Docker container, for machines that have a Docker engine. Without
 * one the class is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class MockServerContainerTest {

    @Container
    static final GenericContainer<?> mockServer = new GenericContainer<>("mockserver/mockserver:5.15.0")
        .withExposedPorts(1080)
        .waitingFor(Wait.forLogMessage(".*started on port.*", 1));

    @Test
    void theInjectedWebClientCarriesATokenFromTheContainerizedEndpoint() {
        String base = "http://" + mockServer.getHost() + ":" + mockServer.getMappedPort(1080);
        MockServerClient server = new MockServerClient(mockServer.getHost(), mockServer.getMappedPort(1080));
        server.when(request().withMethod("POST").withPath("/oauth/token"))
            .respond(response().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"container-token-1\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
        server.when(request().withPath("/api/orders")).respond(response().withBody("[]"));

        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                    ImperativeHttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
                    WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
                    TokenClientAutoConfiguration.class))
            .withPropertyValues("api.auth.token-uri=" + base + "/oauth/token", "api.auth.client-id=c",
                    "api.auth.client-secret=container-secret", "api.auth.base-url=" + base + "/api",
                    "api.auth.allow-insecure-http=true")
            .run((context) -> {
                context.getBean("apiWebClient", WebClient.class).get().uri("/orders").retrieve().toBodilessEntity().block();
                assertThat(server.retrieveRecordedRequests(request().withPath("/api/orders"))[0]
                    .getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer container-token-1");
            });
    }
}
