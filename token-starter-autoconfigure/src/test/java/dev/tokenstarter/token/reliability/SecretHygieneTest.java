package dev.tokenstarter.token.reliability;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockserver.configuration.ConfigurationProperties;
import org.mockserver.integration.ClientAndServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;
import static org.mockserver.model.Parameter.param;
import static org.mockserver.model.ParameterBody.params;

/**
 * A full token lifecycle (fetch, refresh with a rejected refresh token, endpoint failure, expiry, 401 retry,
 * password grant) with the starter's and Spring's loggers at TRACE and default HTTP client settings; then
 * everything logged, every exception message, the {@code toString()} of every starter bean and of the
 * properties, and {@code /actuator/health}, {@code /actuator/env} and {@code /actuator/configprops} (with
 * {@code show-values=always}) must be free of the client secrets, the password, every access and
 * refresh token, and every extra parameter and header value.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.org.springframework=TRACE", "logging.level.dev.tokenstarter=TRACE",
        "logging.level.reactor.netty=TRACE", "logging.level.org.mockserver=WARN",
        "management.endpoints.web.exposure.include=health,env,configprops",
        "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
        "management.endpoint.health.show-details=always",
        // Spring Data Redis is on the test class path for the shared-token tests; this application has no Redis
        "management.health.redis.enabled=false", "api.auth.refresh.eager=false", "api.auth.clients.legacy.refresh.eager=false" })
class SecretHygieneTest {

    private static final String CLIENT_SECRET = "cs-primary-7Hq2xV9pLm4Rt8Zk";

    private static final String LEGACY_SECRET = "cs-legacy-3Jd8sW1qNv6Yc5Bf";

    private static final String PASSWORD = "pw-owner-9Tg4kE2mXr7Ua1Lh";

    private static final String[] ACCESS_TOKENS = { "at-one-5Fp8wQ3nZs6Kd2Jv", "at-two-8Lr1tY6bHc9Mx4Wq",
            "at-three-2Gn7vD5kPj3Sf8Ry", "at-four-6Xb9mC1qTw4Ne7Uk", "at-legacy-4Hs2pF8zRv5Kc3Dm" };

    private static final String REFRESH_TOKEN = "rt-one-1Wc7kN4xBq9Lt2Gs";

    private static final String EXTRA_PARAMETER = "xp-key-5Nw2rB8mKq4Td7Hy";

    private static final String LEGACY_EXTRA_PARAMETER = "xp-legacy-2Vc9hL4sMf7Qp3Xe";

    private static final String LEGACY_HEADER = "hd-legacy-8Kt3nW6yRb1Gj5Dc";

    private static final ClientAndServer server;

    static {
        // MockServer's own request log would print the secrets it receives; it is the test's server, not the starter
        ConfigurationProperties.logLevel("WARN");
        server = ClientAndServer.startClientAndServer(0);
    }

    private static final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    @Autowired
    @Qualifier("apiWebClient")
    private WebClient apiWebClient;

    @Autowired
    @Qualifier("apiRestClient")
    private RestClient apiRestClient;

    @Autowired
    @Qualifier("legacyWebClient")
    private WebClient legacyWebClient;

    @DynamicPropertySource
    static void clients(DynamicPropertyRegistry registry) {
        String base = "http://localhost:" + server.getPort();
        registry.add("api.auth.token-uri", () -> base + "/oauth/token");
        registry.add("api.auth.client-id", () -> "orders-service");
        registry.add("api.auth.client-secret", () -> CLIENT_SECRET);
        registry.add("api.auth.base-url", () -> base + "/api");
        registry.add("api.auth.request.extra-parameters.api_key", () -> EXTRA_PARAMETER);
        registry.add("api.auth.clients.legacy.token-uri", () -> base + "/legacy/token");
        registry.add("api.auth.clients.legacy.grant-type", () -> "password");
        registry.add("api.auth.clients.legacy.client-auth-method", () -> "client-secret-post");
        registry.add("api.auth.clients.legacy.client-id", () -> "legacy-client");
        registry.add("api.auth.clients.legacy.client-secret", () -> LEGACY_SECRET);
        registry.add("api.auth.clients.legacy.username", () -> "owner");
        registry.add("api.auth.clients.legacy.password", () -> PASSWORD);
        registry.add("api.auth.clients.legacy.base-url", () -> base + "/legacy");
        registry.add("api.auth.clients.legacy.request.extra-parameters[tenant_key]", () -> LEGACY_EXTRA_PARAMETER);
        registry.add("api.auth.clients.legacy.request.headers.X-Api-Key", () -> LEGACY_HEADER);
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void noSecretAppearsAnywhere(CapturedOutput output) {
        // the refreshers run on real time; this test moves the clock by hand and counts every token request
        context.getBeansOfType(ScheduledTokenRefresher.class).values().forEach(ScheduledTokenRefresher::stop);
        TokenEndpointMock endpoint = new TokenEndpointMock(server);
        List<String> exposed = new ArrayList<>();
        server.when(request().withPath("/api/.*")).respond(json(200, "[]"));
        server.when(request().withPath("/legacy/orders")).respond(json(200, "[]"));
        server.when(request().withPath("/legacy/token")).respond(json(200, "{\"access_token\":\"" + ACCESS_TOKENS[4]
                + "\",\"token_type\":\"Bearer\",\"expires_in\":600}"));

        // fetch, with a refresh token
        endpoint.respondOnce(json(200, "{\"access_token\":\"" + ACCESS_TOKENS[0] + "\",\"refresh_token\":\""
                + REFRESH_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":600}"));
        apiWebClient.get().uri("/orders").retrieve().toBodilessEntity().block();

        // refresh: the refresh token is rejected, the full grant follows
        endpoint.respondOnce(request().withPath("/oauth/token").withBody(params(param("grant_type", "refresh_token"))),
                json(400, "{\"error\":\"invalid_grant\"}"));
        endpoint.issueOnce(ACCESS_TOKENS[1], 600);
        clock.advance(Duration.ofSeconds(598));
        apiRestClient.get().uri("/orders").retrieve().toBodilessEntity();

        // the endpoint fails past expiry
        endpoint.respondOnce(json(500, "{\"error\":\"server_error\"}"));
        clock.advance(Duration.ofSeconds(700));
        exposed.add(messageOf(() -> apiWebClient.get().uri("/orders").retrieve().toBodilessEntity().block()));
        clock.advance(Duration.ofSeconds(2));
        exposed.add(messageOf(() -> apiRestClient.get().uri("/orders").retrieve().toBodilessEntity()));

        // recovery, then a 401 from the API and one retry with a new token
        endpoint.issueOnce(ACCESS_TOKENS[2], 600);
        endpoint.issueOnce(ACCESS_TOKENS[3], 600);
        clock.advance(Duration.ofSeconds(120));
        TokenEndpointMock.respondFirstOnce(server, request().withPath("/api/private"), response().withStatusCode(401));
        apiWebClient.get().uri("/private").retrieve().toBodilessEntity().block();

        // the password grant of the second client
        legacyWebClient.get().uri("/orders").retrieve().toBodilessEntity().block();

        assertThat(context.getBean("apiTokenProvider", TokenProvider.class).state().refreshCount()).isEqualTo(4);
        assertThat(context.getBean("apiTokenProvider", TokenProvider.class).state().rejections()).isEqualTo(1);

        for (String name : context.getBeanDefinitionNames()) {
            Object bean = context.getBean(name);
            if (bean.getClass().getName().startsWith("dev.tokenstarter")) {
                exposed.add(bean.toString());
            }
        }
        WebClient actuator = WebClient.create("http://localhost:" + port + "/actuator");
        for (String path : new String[] { "/health", "/env", "/configprops" }) {
            exposed.add(actuator.get().uri(path).retrieve().bodyToMono(String.class).block());
        }
        exposed.add(output.getAll());
        // show-values=always: the endpoints do print values, so the masking above is the sanitizer's doing
        assertThat(exposed.get(exposed.size() - 2)).contains("orders-service");

        assertThat(output.getAll()).contains("TRACE").as("TRACE logging was on").hasSizeGreaterThan(10_000);
        String everything = String.join("\n", exposed);
        for (String secret : secrets()) {
            assertThat(everything).as("exposed text").doesNotContain(secret);
        }
    }

    private static List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        List<String> values = new ArrayList<>(List.of(CLIENT_SECRET, LEGACY_SECRET, PASSWORD, REFRESH_TOKEN,
                EXTRA_PARAMETER, LEGACY_EXTRA_PARAMETER, LEGACY_HEADER));
        values.addAll(List.of(ACCESS_TOKENS));
        for (String value : values) {
            secrets.add(value);
            secrets.add(value.substring(0, 8)); // more than the 4 characters masking shows
            secrets.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        secrets.add(Base64.getEncoder().encodeToString(("orders-service:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        return secrets;
    }

    private static String messageOf(Runnable call) {
        try {
            call.run();
            return "";
        }
        catch (RuntimeException ex) {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = ex; t != null; t = t.getCause()) {
                messages.append(t).append('\n');
            }
            return messages.toString();
        }
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
