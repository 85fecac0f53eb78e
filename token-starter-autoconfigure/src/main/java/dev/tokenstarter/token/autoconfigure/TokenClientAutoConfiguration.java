package dev.tokenstarter.token.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Auto-configuration of token clients from {@code api.auth.*}: per client a token provider, the WebClient
 * filter and RestClient interceptor, and a preconfigured WebClient and RestClient (see
 * {@link TokenClientsRegistrar}); optionally the filter on every client the application builds.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
        "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
        "org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@Conditional(OnTokenClientsConfiguredCondition.class)
@EnableConfigurationProperties(TokenClientsProperties.class)
@Import(TokenClientsRegistrar.class)
@ImportRuntimeHints(TokenStarterRuntimeHints.class)
public final class TokenClientAutoConfiguration {

    /** Created by Spring Boot's auto-configuration, not by applications. */
    public TokenClientAutoConfiguration() {
    }

    @Bean(TokenClientBeans.BEAN_NAME)
    @Lazy(false) // validates the configuration at startup, also with spring.main.lazy-initialization
    static TokenClientBeans tokenClientBeans(Environment environment, ListableBeanFactory beanFactory) {
        return new TokenClientBeans(environment, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    TokenClients tokenClients(@Qualifier(TokenClientBeans.BEAN_NAME) TokenClientBeans beans) {
        return beans.tokenClients();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer",
            "org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties" })
    static class RestClientHttpServiceGroupsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokenRestClientHttpServiceGroupConfigurer")
        RestClientHttpServiceGroupConfigurer tokenRestClientHttpServiceGroupConfigurer(
                @Qualifier(TokenClientBeans.BEAN_NAME) TokenClientBeans beans, ListableBeanFactory beanFactory) {
            return new TokenHttpServiceGroupConfigurers.Rest(beans, beanFactory);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer",
            "org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties",
            "org.springframework.boot.webclient.WebClientCustomizer" })
    static class WebClientHttpServiceGroupsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokenWebClientHttpServiceGroupConfigurer")
        WebClientHttpServiceGroupConfigurer tokenWebClientHttpServiceGroupConfigurer(
                @Qualifier(TokenClientBeans.BEAN_NAME) TokenClientBeans beans, ListableBeanFactory beanFactory) {
            return new TokenHttpServiceGroupConfigurers.Web(beans, beanFactory);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClientCustomizer.class)
    @ConditionalOnBooleanProperty("api.auth.apply-to-all-clients")
    static class AllWebClientsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokenWebClientCustomizer")
        WebClientCustomizer tokenWebClientCustomizer(ObjectProvider<TokenWebClientFilter> filters,
                BeanFactory beanFactory) {
            CredentialForwarding.refuse(beanFactory, true);
            return (builder) -> builder.filters((list) -> addAbsent(filters, list));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    @ConditionalOnBooleanProperty("api.auth.apply-to-all-clients")
    static class AllRestClientsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokenRestClientCustomizer")
        RestClientCustomizer tokenRestClientCustomizer(ObjectProvider<TokenRestClientInterceptor> interceptors,
                BeanFactory beanFactory) {
            CredentialForwarding.refuse(beanFactory, false);
            return (builder) -> builder.requestInterceptors((list) -> addAbsent(interceptors, list));
        }

        @Bean
        @ConditionalOnMissingBean(name = "tokenRestTemplateCustomizer")
        RestTemplateCustomizer tokenRestTemplateCustomizer(ObjectProvider<TokenRestClientInterceptor> interceptors,
                BeanFactory beanFactory) {
            CredentialForwarding.refuse(beanFactory, false);
            return (restTemplate) -> addAbsent(interceptors, restTemplate.getInterceptors());
        }
    }

    /** Adds every bean of {@code beans} that {@code list} does not hold yet, so customizing twice adds nothing. */
    private static <T, B extends T> void addAbsent(ObjectProvider<B> beans, java.util.List<T> list) {
        beans.orderedStream().filter((bean) -> !list.contains(bean)).forEach(list::add);
    }
}
