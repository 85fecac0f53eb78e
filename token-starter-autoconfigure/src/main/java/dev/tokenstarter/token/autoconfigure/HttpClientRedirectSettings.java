package dev.tokenstarter.token.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;

/**
 * Reads the application's {@code spring.http.clients.*} settings, and the same with redirects switched
 * off for the preconfigured clients (whose token filter follows redirects by its own rules).
 */
final class HttpClientRedirectSettings {

    private HttpClientRedirectSettings() {
    }

    /** The application's settings with redirect following switched off. */
    static HttpClientSettings withoutRedirects(BeanFactory beanFactory) {
        return settings(beanFactory).withRedirects(HttpRedirects.DONT_FOLLOW);
    }

    /** Whether the application's settings ask for redirects to be followed (Boot's default). */
    static boolean followRedirects(BeanFactory beanFactory) {
        return settings(beanFactory).redirects() != HttpRedirects.DONT_FOLLOW;
    }

    private static HttpClientSettings settings(BeanFactory beanFactory) {
        return beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable(HttpClientSettings::defaults);
    }
}
