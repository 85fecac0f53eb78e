package dev.tokenstarter.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.sample.caller.ApiCaller;
import dev.tokenstarter.sample.caller.TokenRefreshLogger;
import dev.tokenstarter.sample.demo.DemoTokenStore;
import dev.tokenstarter.token.TokenClients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boots the sample in its default demo profile, on a free port, with 3-second tokens so that refreshes
 * happen within the test: its calls succeed, tokens are replaced before they expire, and health says so.
 * (The demo's URLs name the port, so the test picks a free one rather than letting the server choose.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = { "demo.token-lifetime=3s", "api.auth.refresh.before=1s", "api.auth.refresh.expiry-margin=500ms",
                "sample.call-interval=200ms",
                "sample.initial-delay=0s" })
class SampleApplicationTest {

    private static final int PORT = freePort();

    @Autowired
    private ApiCaller caller;

    @Autowired
    private TokenRefreshLogger refreshes;

    @Autowired
    private TokenClients clients;

    @Autowired
    private DemoTokenStore demoTokens;

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
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
    void theDemoLoopSucceedsAndRefreshesTokensAheadOfExpiry() {
        await().atMost(Duration.ofSeconds(8)).until(() -> refreshes.proactiveRefreshes() >= 2 && caller.successes() >= 10
                && clients.state("api").refreshCount() >= 3);

        assertThat(caller.unauthorized()).isZero();
        assertThat(caller.failures()).isZero();
        // the seed API's way: one full grant per client, then refreshes by bearer header with an empty body
        assertThat(demoTokens.fullGrants()).isEqualTo(3);
        assertThat(demoTokens.refreshes()).isGreaterThanOrEqualTo(2);
        String body = WebClient.create("http://localhost:" + PORT).get().uri("/actuator/health").retrieve()
            .bodyToMono(String.class).block();
        JsonNode api = JsonMapper.shared().readTree(body).path("components").path("apiAuth").path("components").path("api");
        assertThat(api.path("status").stringValue()).isEqualTo("UP");
        assertThat(api.path("details").path("refreshCount").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(body).doesNotContain("demo-only-secret");
    }
}
