package dev.tokenstarter.starter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A client without {@code base-url} gets a token provider only. Startup says so in one INFO line, and an
 * application that injects the WebClient or RestClient such a client would have had fails with a message
 * naming the client and the property, not only Spring's generic missing-bean error.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientWithoutBaseUrlTest {

    private static final String[] ORDERS = { "spring.main.banner-mode=off",
            "api.auth.clients.orders.token-uri=http://127.0.0.1:9/token", "api.auth.clients.orders.client-id=orders",
            "api.auth.clients.orders.client-secret=orders-secret-1234", "api.auth.clients.orders.refresh.eager=false" };

    @Test
    void startupSaysInOneInfoLineThatTheClientGetsAProviderOnly(CapturedOutput output) {
        try (ConfigurableApplicationContext context = application(ProviderOnly.class).run()) {
            assertThat(context.getBean("ordersTokenProvider", TokenProvider.class)).isNotNull();
            assertThat(context.containsBean("ordersWebClient")).isFalse();
        }
        assertThat(output).containsOnlyOnce("Token client 'orders' has no base-url (nor allowed-hosts): it gets a "
                + "TokenProvider bean ('ordersTokenProvider') only, no WebClient or RestClient. Set its base-url for those.");
        assertThat(output.toString().lines().filter((line) -> line.contains("Token client 'orders' has no base-url")))
            .allSatisfy((line) -> assertThat(line).contains(" INFO "));
    }

    @Test
    void injectingTheRestClientItWouldHaveHadFailsNamingTheClientAndTheProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(WantsRestClient.class).run());
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("A RestClient bean was required, but there is none. Token client 'orders' (api.auth.clients.orders) "
                    + "has no base-url, so it gets only a TokenProvider ('ordersTokenProvider')")
            .contains("Set api.auth.clients.orders.base-url to the API the token is for");
    }

    @Test
    void injectingTheWebClientByItsQualifierFailsNamingTheClient(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(WantsOrdersWebClient.class).run());
        assertThat(output).contains("A WebClient bean was required, but there is none. "
                + "Token client 'orders' (api.auth.clients.orders) has no base-url");
    }

    /** Several WebClients, not none: Spring Boot's own analysis, which says how many were found. */
    @Test
    void anAmbiguousWebClientKeepsSpringBootsOwnMessage(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(WantsAnyWebClient.class).properties(
                "api.auth.clients.billing.token-uri=http://127.0.0.1:9/token", "api.auth.clients.billing.client-id=b",
                "api.auth.clients.billing.client-secret=billing-secret-1234", "api.auth.clients.billing.refresh.eager=false",
                "api.auth.clients.billing.base-url=http://127.0.0.1:9",
                "api.auth.clients.stock.token-uri=http://127.0.0.1:9/token", "api.auth.clients.stock.client-id=s",
                "api.auth.clients.stock.client-secret=stock-secret-1234", "api.auth.clients.stock.refresh.eager=false",
                "api.auth.clients.stock.base-url=http://127.0.0.1:8")
            .run());
        assertThat(output).contains("APPLICATION FAILED TO START", "but 2 were found")
            .doesNotContain("has no base-url, so it gets only");
    }

    @Test
    void anUnrelatedMissingBeanKeepsSpringBootsOwnMessage(CapturedOutput output) {
        assertThatException().isThrownBy(() -> application(WantsSomethingElse.class).run());
        assertThat(output).contains("APPLICATION FAILED TO START").doesNotContain("has no base-url, so it gets only");
    }

    private static SpringApplicationBuilder application(Class<?> configuration) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE).properties(ORDERS);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ProviderOnly {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WantsRestClient {

        @Bean
        String ordersCaller(RestClient restClient) {
            return "caller";
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WantsOrdersWebClient {

        @Bean
        String ordersCaller(@org.springframework.beans.factory.annotation.Qualifier("ordersWebClient") WebClient web) {
            return "caller";
        }
    }

    interface Missing {
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WantsAnyWebClient {

        @Bean
        String caller(WebClient web) {
            return "caller";
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WantsSomethingElse {

        @Bean
        String caller(Missing missing) {
            return "caller";
        }
    }
}
