package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.reactive.JdkClientHttpConnectorBuilder;

/**
 * Where the starter reads the application's redirect settings ({@code spring.http.clients.*}) and switches
 * redirects off underneath its own HTTP clients: the token endpoint's (a secret never follows a redirect) and
 * those that carry a token, whose hops {@link RedirectPolicy} decides instead. With {@link RedirectPolicy},
 * the one package where redirect behaviour is read and decided.
 */
public final class HttpClientRedirects {

    /** The first JDK release checked to drop credentials when the JDK HttpClient follows a cross-host redirect. */
    public static final int FIRST_JDK_STRIPPING_CREDENTIALS = 25;

    private HttpClientRedirects() {
    }

    /**
     * The application's HTTP client settings.
     * @param beanFactory where they live
     * @return the {@link HttpClientSettings} bean, else Spring Boot's defaults
     */
    public static HttpClientSettings settings(BeanFactory beanFactory) {
        return beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable(HttpClientSettings::defaults);
    }

    /**
     * {@code settings} with redirect following switched off.
     * @param settings the settings of an HTTP client the starter builds
     * @return the same settings, not following redirects
     */
    public static HttpClientSettings off(HttpClientSettings settings) {
        return settings.withRedirects(HttpRedirects.DONT_FOLLOW);
    }

    /**
     * Whether the application's settings ask for redirects to be followed (Boot's default).
     * @param beanFactory where the settings live
     * @return whether redirects are followed
     */
    public static boolean followed(BeanFactory beanFactory) {
        return settings(beanFactory).redirects() != HttpRedirects.DONT_FOLLOW;
    }

    /**
     * Whether the application's own clients would forward credentials across hosts on redirect: they use the
     * JDK {@code HttpClient} and follow redirects on a JDK that forwards {@code Authorization} and
     * {@code Cookie} to another host (seen on 17.0.15; 25 strips them; versions in between are not trusted).
     * The starter cannot check those hops: they happen inside the HTTP client.
     * @param beanFactory where the application's HTTP client settings live
     * @param reactive whether the WebClient connector (else the RestClient/RestTemplate factory) is checked
     * @return the property that selects that HTTP client when they would, else {@code null}
     */
    public static @Nullable String credentialForwardingClient(BeanFactory beanFactory, boolean reactive) {
        if (!followed(beanFactory) || Runtime.version().feature() >= FIRST_JDK_STRIPPING_CREDENTIALS) {
            return null;
        }
        Object builder = reactive ? TokenHttpClients.Web.connectors(beanFactory)
                : TokenHttpClients.Rest.factories(beanFactory);
        if (builder instanceof JdkClientHttpConnectorBuilder || builder instanceof JdkClientHttpRequestFactoryBuilder) {
            return reactive ? "spring.http.clients.reactive.connector" : "spring.http.clients.imperative.factory";
        }
        return null;
    }
}
