package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientProperties;
import org.springframework.boot.http.client.autoconfigure.HttpClientSettingsPropertyMapper;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;

import dev.tokenstarter.token.internal.web.TokenHttpClients;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Gives HTTP service groups ({@code @ImportHttpServices}) the token of their client: the group named like
 * a client, or listed in its {@code http-service-groups}. Such a group's client gets that client's
 * interceptor (RestClient-backed groups) or filter (WebClient-backed groups) and nothing else of the
 * starter's, the client's {@code base-url} when the group sets none, and an HTTP client built from the
 * group's settings with redirects switched off, so that the starter checks every redirect hop as it does for
 * the preconfigured clients. Runs after Spring Boot's own group configurers.
 */
final class TokenHttpServiceGroupConfigurers {

    private TokenHttpServiceGroupConfigurers() {
    }

    /** The part both kinds share: which client a group gets, and its settings. */
    private abstract static class GroupClients implements Ordered {

        private final TokenClientBeans beans;

        private final @Nullable HttpServiceClientProperties groupProperties;

        private final HttpClientSettingsPropertyMapper settings;

        GroupClients(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            this.beans = beans;
            this.groupProperties = beanFactory.getBeanProvider(HttpServiceClientProperties.class).getIfAvailable();
            this.settings = new HttpClientSettingsPropertyMapper(beanFactory.getBeanProvider(SslBundles.class).getIfAvailable(),
                    beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable());
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        /**
         * The adapter that adds the token of {@code group}'s client, or {@code null} when the group has no client
         * or its client has no such bean (no scope, so nothing may receive the token).
         * @param adapters the adapter beans by bean name
         * @param beanName the name of the client's adapter bean
         */
        <T> @Nullable T adapterOf(HttpServiceGroup group, Map<String, T> adapters, Function<ClientBeanNames, String> beanName) {
            String client = beans.clientForGroup(group.name());
            return (client != null) ? adapters.get(beanName.apply(new ClientBeanNames(client))) : null;
        }

        HttpClientSettings settings(HttpServiceGroup group) {
            return settings.map(groupProperties(group));
        }

        /** The client's base URL if the group sets none. */
        @Nullable URI baseUrlFor(HttpServiceGroup group) {
            HttpClientProperties properties = groupProperties(group);
            String client = beans.clientForGroup(group.name());
            return (client == null || (properties != null && StringUtils.hasText(properties.getBaseUrl()))) ? null
                    : beans.baseUrl(client);
        }

        private @Nullable HttpClientProperties groupProperties(HttpServiceGroup group) {
            return (groupProperties != null) ? groupProperties.get(group.name()) : null;
        }
    }

    /** For RestClient-backed groups. */
    static final class Rest extends GroupClients implements RestClientHttpServiceGroupConfigurer {

        private final ClientHttpRequestFactoryBuilder<?> factories;

        private final ListableBeanFactory beanFactory;

        Rest(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory);
            this.beanFactory = beanFactory;
            this.factories = beanFactory.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                .getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
        }

        @Override
        public void configureGroups(Groups<RestClient.Builder> groups) {
            Map<String, TokenRestClientInterceptor> interceptors = beanFactory.getBeansOfType(TokenRestClientInterceptor.class);
            groups.forEachClient((group, builder) -> {
                TokenRestClientInterceptor interceptor = adapterOf(group, interceptors, ClientBeanNames::tokenInterceptor);
                if (interceptor != null) {
                    TokenHttpClients.Rest.configure(builder, factories, settings(group), baseUrlFor(group), interceptor);
                }
            });
        }
    }

    /** For WebClient-backed groups. */
    static final class Web extends GroupClients implements WebClientHttpServiceGroupConfigurer {

        private final ClientHttpConnectorBuilder<?> connectors;

        private final ListableBeanFactory beanFactory;

        Web(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory);
            this.beanFactory = beanFactory;
            this.connectors = beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
                .getIfAvailable(ClientHttpConnectorBuilder::detect);
        }

        @Override
        public void configureGroups(Groups<WebClient.Builder> groups) {
            Map<String, TokenWebClientFilter> filters = beanFactory.getBeansOfType(TokenWebClientFilter.class);
            groups.forEachClient((group, builder) -> {
                TokenWebClientFilter filter = adapterOf(group, filters, ClientBeanNames::tokenFilter);
                if (filter != null) {
                    TokenHttpClients.Web.configure(builder, connectors, settings(group), baseUrlFor(group), filter);
                }
            });
        }
    }
}
