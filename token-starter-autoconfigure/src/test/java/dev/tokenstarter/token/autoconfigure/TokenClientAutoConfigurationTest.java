package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;
import dev.tokenstarter.token.support.StarterContextRunner;

import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans the auto-configuration creates for which properties and classpath, and what a bad property
 * does to startup.
 */
class TokenClientAutoConfigurationTest {

    private static final String[] PRIMARY = { "api.auth.token-uri=https://auth.example.com/oauth/token",
            "api.auth.client-id=orders-service", "api.auth.client-secret=secret-value-123",
            "api.auth.base-url=https://api.example.com", "api.auth.refresh.eager=false" };

    private final ApplicationContextRunner runner = StarterContextRunner.create();

    @Test
    void backsOffWithoutApiAuthProperties() {
        runner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TokenProvider.class);
            assertThat(context).doesNotHaveBean(TokenClientsProperties.class);
            assertThat(context).doesNotHaveBean("apiWebClient");
        });
    }

    @Test
    void thePrimaryClientGetsAllItsBeans() {
        runner.withPropertyValues(PRIMARY).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TokenProvider.class);
            assertThat(context).hasBean("apiTokenProvider").hasBean("apiTokenAuthorizer").hasBean("apiTokenFilter")
                .hasBean("apiTokenInterceptor").hasBean("apiWebClient").hasBean("apiRestClient");
            assertThat(context.getBean(WebClient.class)).isSameAs(context.getBean("apiWebClient"));
            assertThat(context.getBean(RestClient.class)).isSameAs(context.getBean("apiRestClient"));
        });
    }

    @Test
    void namedClientsGetTheirOwnBeansAndThePrimaryStaysPrimary() {
        runner.withPropertyValues(PRIMARY)
            .withPropertyValues("api.auth.clients.billing.token-uri=https://auth.billing.example.com/token",
                    "api.auth.clients.billing.client-id=billing", "api.auth.clients.billing.client-secret=b-secret-123",
                    "api.auth.clients.billing.base-url=https://billing.example.com",
                    "api.auth.clients.inventory.token-uri=https://auth.example.com/token",
                    "api.auth.clients.inventory.client-id=inv", "api.auth.clients.inventory.client-secret=i-secret-123",
                    "api.auth.clients.inventory.base-url=https://inventory.example.com")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeansOfType(TokenProvider.class)).containsOnlyKeys("apiTokenProvider",
                        "billingTokenProvider", "inventoryTokenProvider");
                assertThat(context.getBeansOfType(WebClient.class)).containsOnlyKeys("apiWebClient", "billingWebClient",
                        "inventoryWebClient");
                assertThat(context.getBeansOfType(RestClient.class)).containsOnlyKeys("apiRestClient",
                        "billingRestClient", "inventoryRestClient");
                assertThat(context.getBean(TokenProvider.class)).isSameAs(context.getBean("apiTokenProvider"));
            });
    }

    @Test
    void namedClientsWorkWithoutAPrimaryClient() {
        runner.withPropertyValues("api.auth.clients.billing.token-uri=https://auth.example.com/token",
                "api.auth.clients.billing.client-id=billing", "api.auth.clients.billing.client-secret=b-secret-123",
                "api.auth.clients.billing.base-url=https://billing.example.com")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(TokenProvider.class).hasBean("billingWebClient").doesNotHaveBean("apiWebClient");
            });
    }

    @Test
    void userDefinedBeansWin() {
        runner.withPropertyValues(PRIMARY).withUserConfiguration(UserBeans.class).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("apiTokenProvider")).isSameAs(UserBeans.PROVIDER);
            assertThat(context.getBean("apiWebClient")).isSameAs(UserBeans.WEB_CLIENT);
            assertThat(context.getBean(TokenRestClientInterceptor.class).toString()).contains("api.example.com");
        });
    }

    @Test
    void withoutTheWebClientModuleOnlyRestClientBeansAreCreated() {
        runner.withPropertyValues(PRIMARY).withClassLoader(new FilteredClassLoader(WebClientCustomizer.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasBean("apiRestClient").hasBean("apiTokenInterceptor");
                assertThat(context).doesNotHaveBean("apiWebClient").doesNotHaveBean(TokenWebClientFilter.class);
            });
    }

    @Test
    void withoutTheRestClientModuleOnlyWebClientBeansAreCreated() {
        runner.withPropertyValues(PRIMARY).withClassLoader(new FilteredClassLoader(RestClientCustomizer.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasBean("apiWebClient").doesNotHaveBean("apiRestClient");
            });
    }

    @Test
    void withoutBaseUrlOrAllowedHostsOnlyTheProviderIsCreated() {
        runner.withPropertyValues("api.auth.token-uri=https://auth.example.com/token", "api.auth.client-id=c",
                "api.auth.client-secret=secret-value-123")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(TokenProvider.class).doesNotHaveBean("apiWebClient")
                    .doesNotHaveBean("apiTokenInterceptor");
            });
    }

    @Test
    void applyToAllClientsAddsCustomizersThatScopeTheFilter() {
        runner.withPropertyValues(PRIMARY).withPropertyValues("api.auth.apply-to-all-clients=true").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasBean("tokenWebClientCustomizer").hasBean("tokenRestClientCustomizer")
                .hasBean("tokenRestTemplateCustomizer");
            assertThat(context.getBean(org.springframework.boot.restclient.RestTemplateBuilder.class).build()
                .getInterceptors()).contains(context.getBean(TokenRestClientInterceptor.class));
            WebClient.Builder builder = context.getBean(WebClient.Builder.class);
            builder.filters((filters) -> assertThat(filters).contains(context.getBean(TokenWebClientFilter.class)));
        });
        runner.withPropertyValues(PRIMARY).run((context) -> assertThat(context).doesNotHaveBean("tokenWebClientCustomizer"));
    }

    @Test
    void theTokenClientsRegistryNamesEveryClientAndFindsAReplacedProvider() {
        TokenProvider own = UserBeans.PROVIDER;
        runner.withPropertyValues(PRIMARY)
            .withPropertyValues("api.auth.clients.billing.token-uri=https://auth.billing.example.com/token",
                    "api.auth.clients.billing.client-id=billing", "api.auth.clients.billing.client-secret=b-secret-123",
                    "api.auth.clients.billing.base-url=https://billing.example.com")
            .withBean("billingTokenProvider", TokenProvider.class, () -> own)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                dev.tokenstarter.token.TokenClients clients = context.getBean(dev.tokenstarter.token.TokenClients.class);
                assertThat(clients.names()).containsExactly("api", "billing");
                assertThat(clients.provider("api")).isSameAs(context.getBean("apiTokenProvider"));
                assertThat(clients.provider("billing")).isSameAs(own);
                assertThat(clients.providers()).containsOnlyKeys("api", "billing");
                assertThat(clients.state("billing")).isSameAs(TokenState.INITIAL);
                org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> clients.provider("orders"))
                    .withMessageContaining("No token client named 'orders'")
                    .withMessageContaining("[api, billing]");
                assertThat(context).doesNotHaveBean("billingTokenRefresher");
            });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            api.auth.token-uri=                                    | api.auth.token-uri                | it is not set
            api.auth.token-uri=auth.example.com/token              | api.auth.token-uri                | not an absolute http(s) URL
            api.auth.token-uri=ftp://auth.example.com/token        | api.auth.token-uri                | not an absolute http(s) URL
            api.auth.token-uri=http://auth.example.com/token       | api.auth.token-uri                | plain http to a non-loopback host
            api.auth.base-url=http://api.example.com               | api.auth.base-url                 | plain http to a non-loopback host
            api.auth.client-secret=                                | api.auth.client-secret            | required by client-auth-method client_secret_basic
            api.auth.grant-type=password                           | api.auth.username                 | required by the password grant
            api.auth.grant-type=refresh-token                      | api.auth.refresh-token            | required by the refresh_token grant
            api.auth.request.connect-timeout=-1s                   | api.auth.request.connect-timeout  | must be positive
            api.auth.refresh.before=-5s                            | api.auth.refresh.before           | must not be negative
            api.auth.refresh.before=2h                             | api.auth.refresh.before           | longer than typical token lifetimes
            api.auth.refresh.expiry-margin=90s                     | api.auth.refresh.expiry-margin    | longer than refresh.before
            api.auth.allowed-hosts=files example com               | api.auth.allowed-hosts            | neither an origin
            api.auth.allowed-hosts=http://files.example.com        | api.auth.allowed-hosts            | plain http to a non-loopback host
            api.auth.allowed-hosts=https://*.example.com           | api.auth.allowed-hosts            | wildcards (*.example.com) and underscores are not supported
            api.auth.allowed-hosts=https://my_host.internal        | api.auth.allowed-hosts            | no valid host name
            api.auth.clients.orders.token-uri=https://a.example.com/t,api.auth.clients.orders.client-id=o,api.auth.clients.orders.client-secret=s-123456789,api.auth.http-service-groups=orders | api.auth.http-service-groups | already gets the token of client 'orders'
            api.auth.header.name=X Auth                            | api.auth.header.name              | not a valid HTTP header name
            api.auth.response.access-token=                        | api.auth.response.access-token    | no token could be read
            api.auth.clients.orders.token-uri=https://a.example.com/t,api.auth.clients.orders.client-id=o,api.auth.clients.orders.client-secret=secret-value-123,api.auth.clients.orders.response.access-token= | api.auth.clients.orders.response.access-token | no token could be read
            api.auth.request.method=DELETE                         | api.auth.request.method           | not one of
            api.auth.request.max-response-size=0B                  | api.auth.request.max-response-size | between 1 byte and 2 GB
            api.auth.response.default-lifetime=0s                  | api.auth.response.default-lifetime | must be positive
            api.auth.refresh.retry.initial-backoff=5s,api.auth.refresh.retry.max-backoff=1s | api.auth.refresh.retry.max-backoff | shorter than refresh.retry.initial-backoff
            api.auth.clients.orders.token-uri=https://a.example.com/t,api.auth.clients.orders.client-id=o,api.auth.clients.orders.client-secret=secret-value-123,api.auth.clients.orders.refresh.expiry-margin=-1s | api.auth.clients.orders.refresh.expiry-margin | must not be negative
            api.auth.clients.api.token-uri=https://a.example.com/t | api.auth.clients.api              | reserved
            api.auth.request.method=GET,api.auth.client-auth-method=client-secret-post | api.auth.request.method | into the URL
            api.auth.request.method=GET,api.auth.request.extra-parameters.api_key=key-123456 | api.auth.request.method | into the URL
            api.auth.apply-to-all-clients=true,api.auth.header.name=X-Auth-Token | api.auth.apply-to-all-clients | header could follow a redirect
            api.auth.dpop.enabled=true,api.auth.dpop.key-location=file:/nonexistent/dpop.pem | api.auth.dpop.key-location | cannot read
            api.auth.dpop.enabled=true,api.auth.dpop.key-location=classpath:token-responses/binary-body.http | api.auth.dpop.key-location | no PEM private key
            api.auth.dpop.enabled=true,api.auth.dpop.key-location=classpath:dpop/ec-p256.pem,api.auth.dpop.algorithm=RS256 | api.auth.dpop.key-location | RS256 needs an RSA key
            api.auth.dpop.enabled=true,api.auth.dpop.key-location=classpath:dpop/ec-p256-sec1.pem,api.auth.dpop.algorithm=ES384 | api.auth.dpop.key-location | needs P-384
            api.auth.dpop.enabled=true,api.auth.header.name=X-Auth-Token | api.auth.header.name | DPoP-bound token
            api.auth.dpop.enabled=true,api.auth.shared.enabled=true | api.auth.dpop.enabled | cannot be shared
            """)
    void aBadPropertyFailsStartupWithAnAnalysisNamingIt(String property, String name, String reason) {
        runner.withPropertyValues(PRIMARY).withPropertyValues(property.split(",")).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("'" + name + "'").contains(reason)
                .doesNotContain("secret-value-123");
            assertThat(analysis.getAction()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            api.auth.token-uri=http://user:pw-7Hq2xV9pLm@auth.example.com/token?api_key=key-3Jd8sW1qNv | api.auth.token-uri | plain http
            api.auth.token-uri=user:pw-7Hq2xV9pLm@auth.example.com/token?api_key=key-3Jd8sW1qNv      | api.auth.token-uri | not an absolute http(s) URL
            api.auth.base-url=http://user:pw-7Hq2xV9pLm@api.example.com/v1?api_key=key-3Jd8sW1qNv    | api.auth.base-url  | plain http
            """)
    void aRejectedUrlIsNamedWithoutItsCredentials(String property, String name, String reason) {
        runner.withPropertyValues(PRIMARY).withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'" + name + "'").contains(reason)
                .doesNotContain("pw-7Hq2xV9pLm").doesNotContain("key-3Jd8sW1qNv");
            assertThat(context.getStartupFailure()).hasStackTraceContaining(name)
                .satisfies((failure) -> assertThat(stackTraceOf(failure)).doesNotContain("pw-7Hq2xV9pLm")
                    .doesNotContain("key-3Jd8sW1qNv"));
        });
    }

    @Test
    void thePropertiesPrintUrlsWithoutTheirCredentials() {
        runner.withPropertyValues(PRIMARY).withPropertyValues(
                "api.auth.token-uri=https://user:pw-7Hq2xV9pLm@auth.example.com/token?api_key=key-3Jd8sW1qNv",
                "api.auth.base-url=https://user:pw-7Hq2xV9pLm@api.example.com?api_key=key-3Jd8sW1qNv")
            .run((context) -> assertThat(context.getBean(TokenClientsProperties.class).toString())
                .contains("https://auth.example.com/token?…").doesNotContain("pw-7Hq2xV9pLm")
                .doesNotContain("key-3Jd8sW1qNv"));
    }

    private static String stackTraceOf(Throwable failure) {
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        return trace.toString();
    }

    @Test
    void anUnparsableUrlFailsBindingWithThePropertyNamed() {
        runner.withPropertyValues(PRIMARY).withPropertyValues("api.auth.token-uri=not a url").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            assertThat(context.getStartupFailure()).hasMessageContaining("api.auth.token-uri");
        });
    }

    @Test
    void plainHttpToLoopbackIsAllowedAndOthersCanOptIn() {
        runner.withPropertyValues(PRIMARY).withPropertyValues("api.auth.token-uri=http://127.0.0.1:8080/token",
                "api.auth.base-url=http://localhost:8080").run((context) -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(PRIMARY).withPropertyValues("api.auth.token-uri=http://auth.internal/token",
                "api.auth.allow-insecure-http=true").run((context) -> assertThat(context).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        static final TokenProvider PROVIDER = new TokenProvider() {
            @Override
            public Mono<AccessToken> token() {
                return Mono.empty();
            }

            @Override
            public AccessToken getToken() {
                return null;
            }

            @Override
            public void invalidate(AccessToken rejected) {
            }

            @Override
            public TokenState state() {
                return TokenState.INITIAL;
            }
        };

        static final WebClient WEB_CLIENT = WebClient.create();

        @Bean
        TokenProvider apiTokenProvider() {
            return PROVIDER;
        }

        @Bean
        WebClient apiWebClient() {
            return WEB_CLIENT;
        }
    }
}
