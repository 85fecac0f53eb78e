package dev.tokenstarter.token.autoconfigure;

import java.net.URI;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
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

    /** The part both kinds share: which client a group gets, and its settings without redirects. */
    private abstract static class GroupClients implements Ordered {

        private final TokenClientBeans beans;

        private final ListableBeanFactory beanFactory;

        private final HttpServiceClientProperties groupProperties;

        private final HttpClientSettingsPropertyMapper settings;

        GroupClients(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            this.beans = beans;
            this.beanFactory = beanFactory;
            this.groupProperties = beanFactory.getBeanProvider(HttpServiceClientProperties.class).getIfAvailable();
            this.settings = new HttpClientSettingsPropertyMapper(beanFactory.getBeanProvider(SslBundles.class).getIfAvailable(),
                    beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable());
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        /** The client of {@code group} if it has a scope (so beans that add its token), else {@code null}. */
        String clientOf(HttpServiceGroup group, String beanSuffix) {
            String client = beans.clientForGroup(group.name());
            return (client != null && beanFactory.containsBean(TokenClientsRegistrar.beanName(client, beanSuffix))) ? client
                    : null;
        }

        <T> T bean(String client, String suffix, Class<T> type) {
            return beanFactory.getBean(TokenClientsRegistrar.beanName(client, suffix), type);
        }

        HttpClientSettings settingsWithoutRedirects(HttpServiceGroup group) {
            HttpClientProperties properties = (groupProperties != null) ? groupProperties.get(group.name()) : null;
            return settings.map(properties).withRedirects(HttpRedirects.DONT_FOLLOW);
        }

        /** The client's base URL if the group sets none. */
        URI baseUrlFor(HttpServiceGroup group, String client) {
            HttpClientProperties properties = (groupProperties != null) ? groupProperties.get(group.name()) : null;
            return (properties != null && StringUtils.hasText(properties.getBaseUrl())) ? null : beans.baseUrl(client);
        }
    }

    /** For RestClient-backed groups. */
    static final class Rest extends GroupClients implements RestClientHttpServiceGroupConfigurer {

        private final ClientHttpRequestFactoryBuilder<?> factories;

        Rest(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory);
            this.factories = beanFactory.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                .getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
        }

        @Override
        public void configureGroups(Groups<RestClient.Builder> groups) {
            groups.forEachClient((group, builder) -> {
                String client = clientOf(group, "TokenInterceptor");
                if (client == null) {
                    return;
                }
                TokenRestClientInterceptor interceptor = bean(client, "TokenInterceptor", TokenRestClientInterceptor.class);
                builder.requestFactory(factories.build(settingsWithoutRedirects(group)));
                builder.requestInterceptors((interceptors) -> {
                    interceptors.removeIf(TokenRestClientInterceptor.class::isInstance); // apply-to-all-clients put all on
                    interceptors.add(interceptor);
                });
                URI baseUrl = baseUrlFor(group, client);
                if (baseUrl != null) {
                    builder.baseUrl(baseUrl);
                }
            });
        }
    }

    /** For WebClient-backed groups. */
    static final class Web extends GroupClients implements WebClientHttpServiceGroupConfigurer {

        private final ClientHttpConnectorBuilder<?> connectors;

        Web(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory);
            this.connectors = beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
                .getIfAvailable(ClientHttpConnectorBuilder::detect);
        }

        @Override
        public void configureGroups(Groups<WebClient.Builder> groups) {
            groups.forEachClient((group, builder) -> {
                String client = clientOf(group, "TokenExchangeFilter");
                if (client == null) {
                    return;
                }
                TokenWebClientFilter filter = bean(client, "TokenExchangeFilter", TokenWebClientFilter.class);
                builder.clientConnector(connectors.build(settingsWithoutRedirects(group)));
                builder.filters((filters) -> {
                    filters.removeIf(TokenWebClientFilter.class::isInstance); // apply-to-all-clients put all on
                    filters.add(filter);
                });
                URI baseUrl = baseUrlFor(group, client);
                if (baseUrl != null) {
                    builder.baseUrl(baseUrl.toString());
                }
            });
        }
    }
}
