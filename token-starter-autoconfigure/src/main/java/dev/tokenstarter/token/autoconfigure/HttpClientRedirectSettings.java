package dev.tokenstarter.token.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.JdkClientHttpConnectorBuilder;

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

    /**
     * Refuses {@code apply-to-all-clients} when the application's own clients use the JDK {@code HttpClient}
     * and follow redirects on a JDK that forwards {@code Authorization} and {@code Cookie} to another host
     * on redirect (seen on 17.0.15; 25 strips them; versions in between are not trusted). The starter cannot
     * check those hops: they happen inside the HTTP client.
     * @param beanFactory where the application's HTTP client settings live
     * @param reactive whether the WebClient connector (else the RestClient/RestTemplate factory) is checked
     */
    static void requireNoCredentialForwarding(BeanFactory beanFactory, boolean reactive) {
        if (!followRedirects(beanFactory) || Runtime.version().feature() >= FIRST_JDK_STRIPPING_CREDENTIALS) {
            return;
        }
        Object builder = reactive
                ? beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class).getIfAvailable(ClientHttpConnectorBuilder::detect)
                : beanFactory.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
                    .getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
        if (builder instanceof JdkClientHttpConnectorBuilder || builder instanceof JdkClientHttpRequestFactoryBuilder) {
            String key = reactive ? "spring.http.clients.reactive.connector" : "spring.http.clients.imperative.factory";
            throw new InvalidTokenClientPropertyException(TokenClientsProperties.PREFIX + ".apply-to-all-clients",
                    "the application's " + (reactive ? "WebClients" : "RestClients and RestTemplates") + " use the JDK "
                            + "HttpClient (" + key + "), which on Java " + Runtime.version().feature() + " follows "
                            + "redirects with the Authorization and Cookie headers even to another host, so the token "
                            + "would leave its API",
                    "Set " + key + " to reactor, jetty or http-components, set spring.http.clients.redirects=dont-follow, "
                            + "run on Java " + FIRST_JDK_STRIPPING_CREDENTIALS + " or newer, or inject the preconfigured "
                            + "<name>WebClient / <name>RestClient instead of apply-to-all-clients.");
        }
    }

    /** The first JDK release checked to drop credentials when the JDK HttpClient follows a cross-host redirect. */
    static final int FIRST_JDK_STRIPPING_CREDENTIALS = 25;

    private static HttpClientSettings settings(BeanFactory beanFactory) {
        return beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable(HttpClientSettings::defaults);
    }
}
