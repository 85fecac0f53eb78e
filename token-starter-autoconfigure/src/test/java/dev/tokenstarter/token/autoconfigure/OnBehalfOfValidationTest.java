package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings an on-behalf-of client cannot have stop startup with a failure analysis that names the property,
 * the reason and the fix.
 */
class OnBehalfOfValidationTest {

    private static final String[] EXCHANGE = { "api.auth.token-uri=https://auth.example.com/oauth/token",
            "api.auth.base-url=https://orders.example.com", "api.auth.client-id=orders-service",
            "api.auth.client-secret=secret-value-123", "api.auth.grant-type=jwt-bearer",
            "api.auth.on-behalf-of.mode=exchange" };

    private static final String[] RELAY = { "api.auth.base-url=https://orders.example.com",
            "api.auth.on-behalf-of.mode=relay" };

    private static ApplicationContextRunner runner(String[] client, String... extra) {
        return StarterContextRunner.create().withPropertyValues(client).withPropertyValues(extra);
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    @Test
    void theValidSettingsStart() {
        runner(EXCHANGE).run((context) -> assertThat(context).hasNotFailed());
        runner(RELAY).run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void sharedTokensWithAnOnBehalfOfClientStopStartupSayingTheyNeverGoToRedis() {
        for (String[] client : new String[][] { EXCHANGE, RELAY }) {
            runner(client, "api.auth.shared.enabled=true").run((context) -> {
                FailureAnalysis analysis = analysis(context);
                assertThat(analysis.getDescription()).contains("'api.auth.shared.enabled'", "Redis", "per-user tokens");
                assertThat(analysis.getAction()).contains("shared.enabled");
            });
        }
    }

    @Test
    void sharedTokensWithAnOnBehalfOfClientAreNamedAsTheMistakeEvenWithoutSpringDataRedis() {
        runner(EXCHANGE, "api.auth.shared.enabled=true")
            .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .run((context) -> assertThat(analysis(context).getDescription()).contains("'api.auth.shared.enabled'",
                    "Redis", "per-user tokens"));
    }

    @Test
    void exchangeWithAGrantThatTakesNoSubjectNamesTheGrantType() {
        runner(EXCHANGE, "api.auth.grant-type=client_credentials").run((context) -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("'api.auth.grant-type'", "client_credentials");
            assertThat(analysis.getAction()).contains("token-exchange", "jwt-bearer", "requested_token_use=on_behalf_of");
        });
    }

    @Test
    void exchangeWithAnAssertionOfItsOwnNamesIt() {
        runner(EXCHANGE, "api.auth.jwt-bearer.assertion.value=eyJhbGciOiJub25lIn0.e30.").run((context) -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("'api.auth.jwt-bearer.assertion'", "incoming token")
                .doesNotContain("eyJhbGciOiJub25lIn0");
        });
    }

    @Test
    void relayWithATokenEndpointNamesTheTokenUri() {
        runner(RELAY, "api.auth.token-uri=https://auth.example.com/oauth/token").run((context) -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("'api.auth.token-uri'", "RELAY", "never calls a token endpoint");
            assertThat(analysis.getAction()).contains("EXCHANGE");
        });
    }

    @Test
    void anOnBehalfOfClientWithoutDestinationsNamesTheBaseUrl() {
        runner(new String[] { "api.auth.on-behalf-of.mode=relay" }).run((context) -> assertThat(
                analysis(context).getDescription()).contains("'api.auth.base-url'", "allowed-hosts"));
    }

    @Test
    void aBoundBelowOneNamesMaxEntries() {
        runner(EXCHANGE, "api.auth.on-behalf-of.max-entries=0").run((context) -> assertThat(
                analysis(context).getDescription()).contains("'api.auth.on-behalf-of.max-entries'", "it is 0"));
    }
}
