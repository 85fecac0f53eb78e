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
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

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

    /** The part both kinds share: which client a group gets, its settings, and configuring each group's client. */
    private abstract static class GroupClients<B, A> implements Ordered {

        private final TokenClientBeans beans;

        private final ListableBeanFactory beanFactory;

        private final @Nullable HttpServiceClientProperties groupProperties;

        private final HttpClientSettingsPropertyMapper settings;

        private final Class<A> adapterType;

        private final Function<ClientBeanNames, String> adapterName;

        /**
         * @param adapterType the type of the adapter that adds a client's token
         * @param adapterName the name of a client's adapter bean
         */
        GroupClients(TokenClientBeans beans, ListableBeanFactory beanFactory, Class<A> adapterType,
                Function<ClientBeanNames, String> adapterName) {
            this.beans = beans;
            this.beanFactory = beanFactory;
            this.groupProperties = beanFactory.getBeanProvider(HttpServiceClientProperties.class).getIfAvailable();
            this.settings = new HttpClientSettingsPropertyMapper(beanFactory.getBeanProvider(SslBundles.class).getIfAvailable(),
                    beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable());
            this.adapterType = adapterType;
            this.adapterName = adapterName;
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        /** Gives each group whose client has an adapter that adapter, its settings and its base URL. */
        void configure(HttpServiceGroupConfigurer.Groups<B> groups) {
            Map<String, A> adapters = beanFactory.getBeansOfType(adapterType);
            groups.forEachClient((group, builder) -> {
                String client = beans.clientForGroup(group.name());
                if (client == null) {
                    return;
                }
                String name = adapterName.apply(new ClientBeanNames(client));
                A adapter = adapters.get(name);
                if (adapter == null && beanFactory.containsBean(name)) {
                    throw new IllegalStateException("Bean '" + name + "' of token client '" + client + "' is a "
                            + beanFactory.getType(name) + ", not a " + adapterType.getName() + ": HTTP service group '"
                            + group.name() + "' cannot get the client's token");
                }
                if (adapter != null) {
                    configure(builder, settings(group), baseUrlFor(group, client), adapter);
                }
            });
        }

        /** Points one group's client builder at the token client; see {@link TokenHttpClients}. */
        abstract void configure(B builder, HttpClientSettings settings, @Nullable URI baseUrl, A adapter);

        private HttpClientSettings settings(HttpServiceGroup group) {
            return settings.map(groupProperties(group));
        }

        /** The client's base URL if the group sets none. */
        private @Nullable URI baseUrlFor(HttpServiceGroup group, String client) {
            HttpClientProperties properties = groupProperties(group);
            return (properties != null && StringUtils.hasText(properties.getBaseUrl())) ? null : beans.baseUrl(client);
        }

        private @Nullable HttpClientProperties groupProperties(HttpServiceGroup group) {
            return (groupProperties != null) ? groupProperties.get(group.name()) : null;
        }
    }

    /** For RestClient-backed groups. */
    static final class Rest extends GroupClients<RestClient.Builder, TokenRestClientInterceptor>
            implements RestClientHttpServiceGroupConfigurer {

        private final ClientHttpRequestFactoryBuilder<?> factories;

        Rest(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory, TokenRestClientInterceptor.class, ClientBeanNames::tokenInterceptor);
            this.factories = TokenHttpClients.Rest.factories(beanFactory);
        }

        @Override
        public void configureGroups(Groups<RestClient.Builder> groups) {
            configure(groups);
        }

        @Override
        void configure(RestClient.Builder builder, HttpClientSettings settings, @Nullable URI baseUrl,
                TokenRestClientInterceptor interceptor) {
            TokenHttpClients.Rest.configure(builder, factories, settings, baseUrl, interceptor);
        }
    }

    /** For WebClient-backed groups. */
    static final class Web extends GroupClients<WebClient.Builder, TokenWebClientFilter>
            implements WebClientHttpServiceGroupConfigurer {

        private final ClientHttpConnectorBuilder<?> connectors;

        Web(TokenClientBeans beans, ListableBeanFactory beanFactory) {
            super(beans, beanFactory, TokenWebClientFilter.class, ClientBeanNames::tokenFilter);
            this.connectors = TokenHttpClients.Web.connectors(beanFactory);
        }

        @Override
        public void configureGroups(Groups<WebClient.Builder> groups) {
            configure(groups);
        }

        @Override
        void configure(WebClient.Builder builder, HttpClientSettings settings, @Nullable URI baseUrl,
                TokenWebClientFilter filter) {
            TokenHttpClients.Web.configure(builder, connectors, settings, baseUrl, filter);
        }
    }
}
