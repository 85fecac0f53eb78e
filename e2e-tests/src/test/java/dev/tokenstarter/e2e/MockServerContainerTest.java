package dev.tokenstarter.e2e;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.e2e.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same token endpoint + API round trip as {@code ApiClientsEndToEndTest} (which runs in-process on
 * every build), against MockServer in a Docker container, for machines that have a Docker engine. Without
 * one the class is reported as skipped. Expectations go through MockServer's REST API, which is stable across
 * its versions, so the container image and the in-process library need not match.
 */
@Testcontainers(disabledWithoutDocker = true)
class MockServerContainerTest {

    @Container
    static final GenericContainer<?> mockServer = new GenericContainer<>("mockserver/mockserver:5.15.0")
        .withExposedPorts(1080)
        .waitingFor(Wait.forHttp("/mockserver/status").withMethod("PUT").forStatusCode(200));

    @Test
    void theInjectedWebClientCarriesATokenFromTheContainerizedEndpoint() {
        String base = "http://" + mockServer.getHost() + ":" + mockServer.getMappedPort(1080);
        WebClient admin = WebClient.create(base + "/mockserver");
        expect(admin, Map.of("method", "POST", "path", "/oauth/token"), Map.of("statusCode", 200, "headers",
                Map.of("Content-Type", new String[] { "application/json" }), "body",
                "{\"access_token\":\"container-token-1\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
        expect(admin, Map.of("path", "/api/orders"), Map.of("statusCode", 200, "body", "[]"));

        StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=" + base + "/oauth/token", "api.auth.client-id=c",
                    "api.auth.client-secret=container-secret", "api.auth.base-url=" + base + "/api",
                    "api.auth.allow-insecure-http=true", "api.auth.refresh.eager=false")
            .run((context) -> {
                context.getBean("apiWebClient", WebClient.class).get().uri("/orders").retrieve().toBodilessEntity().block();
                String recorded = admin.put().uri("/retrieve?type=REQUESTS&format=JSON")
                    .bodyValue(Map.of("path", "/api/orders")).retrieve().bodyToMono(String.class).block();
                assertThat(recorded).contains("Bearer container-token-1");
            });
    }

    private static void expect(WebClient admin, Map<String, Object> request, Map<String, Object> response) {
        admin.put().uri("/expectation").bodyValue(Map.of("httpRequest", request, "httpResponse", response)).retrieve()
            .toBodilessEntity().block();
    }
}
