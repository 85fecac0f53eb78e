package dev.tokenstarter.token.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The refresher starts and stops with the application context.
 */
class RefresherLifecycleTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenClientAutoConfiguration.class,
                    TokenHealthAutoConfiguration.class))
            .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=c",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=http://localhost:1");
    }

    private static boolean refreshThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch((thread) -> thread.getName().equals("token-refresh-api") && thread.isAlive());
    }

    @Test
    void anEagerClientFetchesAtStartupAndCloseStopsTheRefresher() throws InterruptedException {
        // two seconds: the refresher plans the next refresh halfway through, so it would run within the test
        endpoint.server().when(TokenEndpointMock.tokenRequest()).respond(json(200, TokenEndpointMock.tokenJson("token-abcdefgh", 2)));

        TokenProvider[] provider = new TokenProvider[1];
        runner().run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(ScheduledTokenRefresher.class);
            await().atMost(Duration.ofSeconds(2)).until(() -> endpoint.requestCount() >= 1);
            provider[0] = context.getBean(TokenProvider.class);
            assertThat(provider[0].state().token()).isNotNull();
            assertThat(refreshThreadAlive()).isTrue();
        });

        await().atMost(Duration.ofSeconds(2)).until(() -> !refreshThreadAlive()
                && !((dev.tokenstarter.token.internal.CachingTokenProvider) provider[0]).isFetchInFlight());
        int afterClose = endpoint.requestCount();
        Thread.sleep(1500);
        assertThat(endpoint.requestCount()).isEqualTo(afterClose);
    }

    @Test
    void anEagerClientDoesNotFailStartupWhenTheEndpointIsDown() {
        endpoint.server().when(TokenEndpointMock.tokenRequest()).respond(json(503, "{}"));

        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            await().atMost(Duration.ofSeconds(2)).until(() -> context.getBean(TokenProvider.class).state()
                .consecutiveFailures() >= 1);
        });
    }

    @Test
    void failFastMakesStartupFailWithAClearMessage() {
        endpoint.server().when(TokenEndpointMock.tokenRequest()).respond(json(401, "{\"error\":\"invalid_client\"}"));

        runner().withPropertyValues("api.auth.refresh.fail-fast=true").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new TokenUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Could not obtain the first token for client 'api'")
                .contains("invalid_client").doesNotContain("secret-value-123");
            assertThat(analysis.getAction()).contains("refresh.fail-fast");
            assertThat(analysis.getCause()).isInstanceOf(TokenUnavailableException.class);
        });
    }

    @Test
    void theHealthContributorCanBeDisabled() {
        runner().withPropertyValues("api.auth.refresh.eager=false").run((context) ->
                assertThat(context).hasBean("apiAuthHealthContributor"));
        runner().withPropertyValues("api.auth.refresh.eager=false", "management.health.apiauth.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("apiAuthHealthContributor"));
    }
}
