package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 22: {@code api.auth.clients.order-history} was refused. Kebab case is Spring's usual style: the name
 * as configured is the client's name, its beans are in lower camel case, and two spellings of one name stop
 * startup.
 */
class ClientNamesTest {

    private final ApplicationContextRunner runner = StarterContextRunner.create();

    private static String[] client(String name) {
        String prefix = "api.auth.clients." + name + ".";
        return new String[] { prefix + "token-uri=http://127.0.0.1:9/token", prefix + "client-id=c",
                prefix + "client-secret=secret-1234", prefix + "base-url=http://127.0.0.1:9", prefix + "refresh.eager=false" };
    }

    @Test
    void aKebabCaseNameKeepsItsSpellingAndGetsLowerCamelCaseBeans() {
        runner.withPropertyValues(client("order-history")).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("orderHistoryTokenProvider", CachingTokenProvider.class)).isNotNull();
            assertThat(context.getBean("orderHistoryWebClient", WebClient.class)).isNotNull();
            assertThat(context.getBean("orderHistoryRestClient", RestClient.class)).isNotNull();
            TokenClients clients = context.getBean(TokenClients.class);
            assertThat(clients.names()).containsExactly("order-history");
            assertThat(clients.provider("order-history")).isSameAs(context.getBean("orderHistoryTokenProvider"));
        });
    }

    @Test
    void twoSpellingsOfOneNameStopStartup() {
        runner.withPropertyValues(client("order-history")).withPropertyValues(client("orderHistory")).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'order-history' and 'orderHistory'",
                    "give the same bean names (orderHistoryWebClient");
        });
    }

    @Test
    void aNameInAnotherStyleIsRefused() {
        runner.withPropertyValues(client("9orders")).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("neither kebab case nor lower camel case");
            assertThat(analysis.getAction()).contains("api.auth.clients.order-history");
        });
    }
}
