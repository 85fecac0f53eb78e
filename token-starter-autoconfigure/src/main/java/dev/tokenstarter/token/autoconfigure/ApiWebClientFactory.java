package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.web.TokenWebClientFilter;

/**
 * Builds a client's preconfigured {@link WebClient} from Spring Boot's {@link WebClient.Builder} (so the
 * application's customizers, codecs and observation apply), with the base URL and the token filter. Its
 * connector does not follow redirects itself: the filter does, so the token never follows one off its origin.
 */
final class ApiWebClientFactory {

    private ApiWebClientFactory() {
    }

    static WebClient create(BeanFactory beanFactory, @Nullable URI baseUrl, @Nullable SslBundle sslBundle,
            TokenWebClientFilter filter) {
        // clone: an application that defines its builder as a singleton must not get this client's settings
        WebClient.Builder builder = beanFactory.getBeanProvider(WebClient.Builder.class).getIfAvailable(WebClient::builder)
            .clone();
        @SuppressWarnings("unchecked")
        ClientHttpConnectorBuilder<?> connectors = beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
            .getIfAvailable(ClientHttpConnectorBuilder::detect);
        HttpClientSettings settings = HttpClientRedirectSettings.withoutRedirects(beanFactory);
        builder.clientConnector(connectors.build((sslBundle != null) ? settings.withSslBundle(sslBundle) : settings));
        if (baseUrl != null) {
            builder.baseUrl(baseUrl.toString());
        }
        // only this client's token: drop filters that apply-to-all-clients put on every builder
        return builder.filters((filters) -> {
            filters.removeIf(TokenWebClientFilter.class::isInstance);
            filters.add(filter);
        }).build();
    }
}
