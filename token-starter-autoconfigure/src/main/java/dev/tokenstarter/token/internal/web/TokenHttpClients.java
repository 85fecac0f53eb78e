package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * The one way to point an HTTP client at a token client, for the preconfigured {@code <name>WebClient} and
 * {@code <name>RestClient} and for HTTP service groups alike: the client's token filter or interceptor, dedicated
 * (none of another client's, which {@code apply-to-all-clients} may have put on the builder, so a request there
 * that selects another client fails), its base URL, and an
 * HTTP client underneath that does not follow redirects ({@link HttpClientRedirects#off}), so that every hop
 * passes the {@link RedirectPolicy}. One nested class per kind of client, so that each loads only with its own
 * library.
 */
public final class TokenHttpClients {

    private TokenHttpClients() {
    }

    /** For {@link RestClient}. */
    public static final class Rest {

        private Rest() {
        }

        /**
         * A token client's RestClient, from the application's {@link RestClient.Builder} (so its customizers
         * apply), cloned: an application that defines its builder as a singleton must not get this client's
         * settings.
         * @param beanFactory where the application's builder and request factory builder live
         * @param settings the HTTP client settings; redirects are switched off here
         * @param baseUrl the base URL, or {@code null}
         * @param interceptor the token client's interceptor
         * @return the client
         */
        public static RestClient create(BeanFactory beanFactory, HttpClientSettings settings, @Nullable URI baseUrl,
                TokenRestClientInterceptor interceptor) {
            RestClient.Builder builder = beanFactory.getBeanProvider(RestClient.Builder.class)
                .getIfAvailable(RestClient::builder)
                .clone();
            return configure(builder, factories(beanFactory), settings, baseUrl, interceptor).build();
        }

        /**
         * The application's request factory builder.
         * @param beanFactory where it lives
         * @return the {@link ClientHttpRequestFactoryBuilder} bean, else the one detected on the class path
         */
        public static ClientHttpRequestFactoryBuilder<?> factories(BeanFactory beanFactory) {
            return beanFactory.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                .getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
        }

        /**
         * @param builder the builder to configure
         * @param factories builds its request factory
         * @param settings the HTTP client settings, with redirects or not: they are switched off here
         * @param baseUrl the base URL, or {@code null} to keep the builder's
         * @param interceptor the token client's interceptor, put on as {@link TokenRestClientInterceptor#dedicated()}
         * @return {@code builder}
         */
        public static RestClient.Builder configure(RestClient.Builder builder, ClientHttpRequestFactoryBuilder<?> factories,
                HttpClientSettings settings, @Nullable URI baseUrl, TokenRestClientInterceptor interceptor) {
            builder.requestFactory(factories.build(HttpClientRedirects.off(settings)));
            if (baseUrl != null) {
                builder.baseUrl(baseUrl);
            }
            return builder.requestInterceptors((interceptors) -> {
                interceptors.removeIf(TokenRestClientInterceptor.class::isInstance);
                interceptors.add(interceptor.dedicated());
            });
        }
    }

    /** For {@link WebClient}. */
    public static final class Web {

        private Web() {
        }

        /**
         * A token client's WebClient, from the application's {@link WebClient.Builder} (so its customizers, codecs
         * and observation apply), cloned.
         * @param beanFactory where the application's builder and connector builder live
         * @param settings the HTTP client settings; redirects are switched off here
         * @param baseUrl the base URL, or {@code null}
         * @param filter the token client's filter
         * @return the client
         */
        public static WebClient create(BeanFactory beanFactory, HttpClientSettings settings, @Nullable URI baseUrl,
                TokenWebClientFilter filter) {
            WebClient.Builder builder = beanFactory.getBeanProvider(WebClient.Builder.class)
                .getIfAvailable(WebClient::builder)
                .clone();
            return configure(builder, connectors(beanFactory), settings, baseUrl, filter).build();
        }

        /**
         * The application's connector builder.
         * @param beanFactory where it lives
         * @return the {@link ClientHttpConnectorBuilder} bean, else the one detected on the class path
         */
        public static ClientHttpConnectorBuilder<?> connectors(BeanFactory beanFactory) {
            return beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
                .getIfAvailable(ClientHttpConnectorBuilder::detect);
        }

        /**
         * @param builder the builder to configure
         * @param connectors builds its connector
         * @param settings the HTTP client settings, with redirects or not: they are switched off here
         * @param baseUrl the base URL, or {@code null} to keep the builder's
         * @param filter the token client's filter, put on as {@link TokenWebClientFilter#dedicated()}
         * @return {@code builder}
         */
        public static WebClient.Builder configure(WebClient.Builder builder, ClientHttpConnectorBuilder<?> connectors,
                HttpClientSettings settings, @Nullable URI baseUrl, TokenWebClientFilter filter) {
            builder.clientConnector(connectors.build(HttpClientRedirects.off(settings)));
            if (baseUrl != null) {
                builder.baseUrl(baseUrl.toString());
            }
            return builder.filters((filters) -> {
                filters.removeIf(TokenWebClientFilter.class::isInstance);
                filters.add(filter.dedicated());
            });
        }
    }
}
