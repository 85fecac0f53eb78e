package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * The one way to point an HTTP client at a token client, for the preconfigured {@code <name>WebClient} and
 * {@code <name>RestClient} and for HTTP service groups alike: the client's token filter or interceptor (and
 * none of another client's, which {@code apply-to-all-clients} may have put on the builder), its base URL, and an
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
         * @param builder the builder to configure
         * @param factories builds its request factory
         * @param settings the HTTP client settings, with redirects or not: they are switched off here
         * @param baseUrl the base URL, or {@code null} to keep the builder's
         * @param interceptor the token client's interceptor
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
                interceptors.add(interceptor);
            });
        }
    }

    /** For {@link WebClient}. */
    public static final class Web {

        private Web() {
        }

        /**
         * @param builder the builder to configure
         * @param connectors builds its connector
         * @param settings the HTTP client settings, with redirects or not: they are switched off here
         * @param baseUrl the base URL, or {@code null} to keep the builder's
         * @param filter the token client's filter
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
                filters.add(filter);
            });
        }
    }
}
