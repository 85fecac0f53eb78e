package dev.tokenstarter.token.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockserver.integration.ClientAndServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * Health and metrics through the real {@code /actuator} endpoints of a running application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always", "api.auth.refresh.eager=false",
                "api.auth.client-secret=secret-value-123456" })
class ActuatorEndpointsTest {

    private static final ClientAndServer server = ClientAndServer.startClientAndServer(0);

    private static final TokenEndpointMock endpoint = new TokenEndpointMock(server);

    private static final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("apiWebClient")
    private WebClient apiWebClient;

    @DynamicPropertySource
    static void endpoints(DynamicPropertyRegistry registry) {
        registry.add("api.auth.token-uri", endpoint::uri);
        registry.add("api.auth.client-id", () -> "orders-service");
        registry.add("api.auth.base-url", () -> "http://localhost:" + server.getPort());
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    private JsonNode get(String path) {
        String body = WebClient.create("http://localhost:" + port).get().uri(path)
            .exchangeToMono((response) -> response.bodyToMono(String.class)).block();
        return JsonMapper.shared().readTree(body);
    }

    private JsonNode health() {
        return get("/actuator/health").path("components").path("apiAuth").path("components").path("api");
    }

    private static double measurement(JsonNode metric, String statistic) {
        for (JsonNode m : metric.path("measurements")) {
            if (statistic.equals(m.path("statistic").stringValue())) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + metric);
    }

    @Autowired
    private ApplicationContext context;

    @Test
    void healthAndMetricsFollowTheTokenLifecycle() throws Exception {
        // the refresher runs on real time while this test moves the clock by hand and counts every request
        context.getBeansOfType(ScheduledTokenRefresher.class).values().forEach(ScheduledTokenRefresher::stop);
        assertThat(health().path("status").stringValue()).isEqualTo("UNKNOWN");

        endpoint.issueOnce("token-secret-abcdef", 600);
        server.when(request().withPath("/orders")).respond(json(200, "[]"));
        apiWebClient.get().uri("/orders").retrieve().toBodilessEntity().block();

        JsonNode up = health();
        assertThat(up.path("status").stringValue()).isEqualTo("UP");
        assertThat(up.path("details").path("expiresInSeconds").asLong()).isEqualTo(600);
        assertThat(up.path("details").path("refreshCount").asLong()).isEqualTo(1);
        assertThat(up.path("details").path("expiresAt").stringValue()).isEqualTo("2026-01-01T00:10:00Z");
        String fetches = "/actuator/metrics/api.auth.token.fetch?tag=client:api&tag=outcome:success";
        assertThat(measurement(get(fetches), "COUNT")).isEqualTo(1);
        assertThat(measurement(get("/actuator/metrics/api.auth.token.expiry?tag=client:api"), "VALUE")).isEqualTo(600);

        server.clear(request().withPath("/orders"));
        server.when(request().withPath("/orders")).respond(response().withStatusCode(401));
        endpoint.respondOnce(json(503, "{\"error\":\"temporarily_unavailable\"}"));
        catchThrowable(() -> apiWebClient.get().uri("/orders").retrieve().toBodilessEntity().block());
        assertThat(measurement(get("/actuator/metrics/api.auth.token.rejected?tag=client:api"), "COUNT")).isEqualTo(1);
        assertThat(measurement(get("/actuator/metrics/api.auth.token.fetch?tag=outcome:server_error"), "COUNT"))
            .isEqualTo(1);
        // every tag and meter of the fetch observation is in the README's metrics table (issue 22)
        Set<String> tags = new TreeSet<>();
        get("/actuator/metrics/api.auth.token.fetch").path("availableTags")
            .forEach((tag) -> tags.add(tag.path("tag").stringValue()));
        assertThat(tags).containsExactly("client", "error", "grant", "outcome");
        Set<String> names = new TreeSet<>();
        get("/actuator/metrics").path("names").forEach((name) -> names.add(name.stringValue()));
        assertThat(names).contains("api.auth.token.fetch", "api.auth.token.fetch.active");
        String fetchRow = Files.readString(Path.of("../README.md"))
            .lines()
            .filter((line) -> line.startsWith("| `api.auth.token.fetch` |"))
            .findFirst()
            .orElseThrow();
        assertThat(fetchRow).contains(tags.stream().map((tag) -> "`" + tag + "`").toArray(String[]::new));
        assertThat(Files.readString(Path.of("../README.md")))
            .contains("| `api.auth.token.fetch.active` |");

        clock.advance(Duration.ofSeconds(601));
        JsonNode down = health();
        assertThat(down.path("status").stringValue()).isEqualTo("DOWN");
        assertThat(down.path("details").path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(down.path("details").path("lastError").stringValue()).contains("temporarily_unavailable");

        String everything = get("/actuator/health").toString() + get("/actuator/metrics").toString();
        assertThat(everything).doesNotContain("token-secret-abcdef").doesNotContain("secret-value-123456");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        MutableClock apiAuthClock() {
            return clock;
        }
    }
}
