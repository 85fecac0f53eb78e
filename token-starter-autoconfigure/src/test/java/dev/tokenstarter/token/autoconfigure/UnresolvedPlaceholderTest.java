package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 22: {@code client-secret: ${ORDERS_SECRET}} with the variable unset started, and the literal text
 * {@code ${ORDERS_SECRET}} was sent as the secret. A secret (or a secret's location) that is still an
 * unresolved placeholder stops startup naming the property and the variable, and nothing else of the value.
 */
class UnresolvedPlaceholderTest {

    private static final String[] CLIENT = { "api.auth.token-uri=http://127.0.0.1:9/token", "api.auth.client-id=c",
            "api.auth.base-url=http://127.0.0.1:9", "api.auth.refresh.eager=false" };

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "client-secret|client-secret-basic|", "password|client-secret-basic|grant-type=password",
            "refresh-token|client-secret-basic|grant-type=refresh_token",
            "token-exchange.subject-token.value|client-secret-basic|grant-type=token-exchange",
            "jwt-bearer.assertion.location|client-secret-basic|grant-type=jwt-bearer",
            "shared.encryption-key|client-secret-basic|", "client-assertion.private-key|private-key-jwt|" })
    void anUnresolvedPlaceholderInASecretStopsStartupNamingPropertyAndVariable(String property, String authMethod,
            String extra) {
        StarterContextRunner.create()
            .withPropertyValues(CLIENT)
            .withPropertyValues("api.auth.client-auth-method=" + authMethod,
                    "api.auth." + property + "=prefix-kept-secret-${TOKEN_STARTER_UNSET_VARIABLE}")
            .withPropertyValues((extra == null) ? new String[0] : new String[] { "api.auth." + extra })
            .withPropertyValues(property.equals("client-secret") ? new String[0]
                    : new String[] { "api.auth.client-secret=a-real-secret-1234", "api.auth.username=u",
                            "api.auth.password=" + (property.equals("password") ? "${TOKEN_STARTER_UNSET_VARIABLE}" : "p") })
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).as("a failure analysis").isNotNull();
                assertThat(analysis.getDescription()).contains("'api.auth.")
                    .contains("unresolved placeholder ${TOKEN_STARTER_UNSET_VARIABLE}")
                    .doesNotContain("prefix-kept-secret")
                    .doesNotContain("a-real-secret-1234");
                assertThat(analysis.getAction()).contains("TOKEN_STARTER_UNSET_VARIABLE");
            });
    }

    @Test
    void anUnresolvedPlaceholderInAHeaderValueStopsStartup() {
        StarterContextRunner.create()
            .withPropertyValues(CLIENT)
            .withPropertyValues("api.auth.client-secret=a-real-secret-1234",
                    "api.auth.request.headers.X-Api-Key=${TOKEN_STARTER_UNSET_VARIABLE}")
            .run((context) -> {
                FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("request.headers.X-Api-Key",
                        "unresolved placeholder ${TOKEN_STARTER_UNSET_VARIABLE}");
            });
    }

    @Test
    void aResolvedPlaceholderStartsAsUsual() {
        StarterContextRunner.create()
            .withPropertyValues(CLIENT)
            .withPropertyValues("orders.secret=resolved-secret-1234", "api.auth.client-secret=${orders.secret}")
            .run((context) -> assertThat(context).hasNotFailed());
    }
}
