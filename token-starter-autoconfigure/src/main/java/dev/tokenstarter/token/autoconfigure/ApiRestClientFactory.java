package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.web.client.RestClient;

import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Builds a client's preconfigured {@link RestClient} from Spring Boot's {@link RestClient.Builder}, with
 * the base URL and the token interceptor; its request factory does not follow redirects itself, the
 * interceptor does.
 */
final class ApiRestClientFactory {

    private ApiRestClientFactory() {
    }

    static RestClient create(BeanFactory beanFactory, @Nullable URI baseUrl, @Nullable SslBundle sslBundle,
            TokenRestClientInterceptor interceptor) {
        RestClient.Builder builder = beanFactory.getBeanProvider(RestClient.Builder.class)
            .getIfAvailable(RestClient::builder)
            .clone();
        @SuppressWarnings("unchecked")
        ClientHttpRequestFactoryBuilder<?> factories = beanFactory.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
            .getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
        HttpClientSettings settings = HttpClientRedirectSettings.withoutRedirects(beanFactory);
        builder.requestFactory(factories.build((sslBundle != null) ? settings.withSslBundle(sslBundle) : settings));
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        return builder.requestInterceptors((interceptors) -> {
            interceptors.removeIf(TokenRestClientInterceptor.class::isInstance);
            interceptors.add(interceptor);
        }).build();
    }
}
