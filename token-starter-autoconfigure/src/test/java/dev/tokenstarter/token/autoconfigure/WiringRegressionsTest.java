package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regressions of issue 23's wiring, found in review before they shipped: {@link TokenClients} resolved every
 * {@code TokenProvider} bean when it was created (an application's provider that depends on it could not start),
 * and validation ran only when a client bean was created (with lazy initialization, a mistake passed startup).
 */
class WiringRegressionsTest {

    private static final String[] PRIMARY = { "api.auth.token-uri=https://auth.example.com/oauth/token",
            "api.auth.client-id=orders-service", "api.auth.client-secret=secret-value-123",
            "api.auth.base-url=https://api.example.com", "api.auth.refresh.eager=false" };

    private final ApplicationContextRunner runner = StarterContextRunner.create();

    @Test
    void anApplicationsProviderMayDependOnTokenClients() {
        runner.withPropertyValues(PRIMARY).withUserConfiguration(RoutingProvider.class).run((context) -> {
            assertThat(context).hasNotFailed();
            TokenClients clients = context.getBean(TokenClients.class);
            assertThat(clients.provider("api")).isSameAs(context.getBean("apiTokenProvider"));
            assertThat(context.getBean("routing", TokenProvider.class).state().refreshCount()).isZero();
        });
    }

    @Test
    void aBadPropertyStopsStartupAlsoWhenEveryBeanIsLazy() {
        // the application's own provider: no refresher, so no eager bean of the starter builds a client
        runner.withPropertyValues(PRIMARY)
            .withPropertyValues("api.auth.apply-to-all-clients=true", "api.auth.header.name=X-Auth-Token")
            .withUserConfiguration(OwnProvider.class)
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains("'api.auth.apply-to-all-clients'")
                    .contains("header could follow a redirect");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProvider {

        @Bean
        TokenProvider apiTokenProvider() {
            return new TokenProvider() {
                @Override
                public Mono<AccessToken> token() {
                    return Mono.error(new UnsupportedOperationException());
                }

                @Override
                public AccessToken getToken() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void invalidate(AccessToken rejected) {
                }

                @Override
                public TokenState state() {
                    return TokenState.INITIAL;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RoutingProvider {

        /** An application's own provider that routes to the starter's clients. */
        @Bean
        TokenProvider routing(TokenClients clients) {
            return new TokenProvider() {
                @Override
                public Mono<AccessToken> token() {
                    return clients.provider("api").token();
                }

                @Override
                public AccessToken getToken() {
                    return clients.provider("api").getToken();
                }

                @Override
                public void invalidate(AccessToken rejected) {
                    clients.provider("api").invalidate(rejected);
                }

                @Override
                public TokenState state() {
                    return clients.state("api");
                }
            };
        }
    }
}
