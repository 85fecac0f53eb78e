package dev.tokenstarter.token.support;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import dev.tokenstarter.token.autoconfigure.TokenClientAutoConfiguration;

/**
 * An {@link ApplicationContextRunner} with Spring Boot's SSL bundle, HTTP client, WebClient, RestClient and
 * RestTemplate auto-configurations and the starter's: what an application with the starter gets.
 */
public final class StarterContextRunner {

    private StarterContextRunner() {
    }

    public static ApplicationContextRunner create() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
                HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
                ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class,
                TokenClientAutoConfiguration.class));
    }
}
