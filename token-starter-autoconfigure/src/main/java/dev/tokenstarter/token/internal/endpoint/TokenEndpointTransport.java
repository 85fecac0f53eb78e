package dev.tokenstarter.token.internal.endpoint;

import java.util.Objects;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpCookieHandling;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.client.reactive.ClientHttpConnector;

import dev.tokenstarter.token.internal.web.HttpClientRedirects;

/**
 * How the token endpoint is reached: one of Spring Boot's HTTP connectors (Reactor Netty, JDK, Jetty,
 * HttpComponents) and the settings it is built with, such as an SSL bundle and an address filter. Proxies
 * are whatever that connector honours (Reactor Netty and the JDK client read the JVM's
 * {@code http(s).proxyHost} properties). The endpoint's own rules are applied on top in
 * {@link #connector(TokenEndpointConfig)}.
 *
 * @param connectorBuilder builds the HTTP connector
 * @param settings the base settings: the SSL bundle and address filter are used, timeouts, redirects and
 * cookie handling are the endpoint's own
 */
public record TokenEndpointTransport(ClientHttpConnectorBuilder<?> connectorBuilder, HttpClientSettings settings) {

    public TokenEndpointTransport {
        Objects.requireNonNull(connectorBuilder, "connectorBuilder");
        Objects.requireNonNull(settings, "settings");
    }

    /** The connector Spring Boot detects on the classpath (Reactor Netty here), with the JVM's trust store. */
    public static TokenEndpointTransport detect() {
        return new TokenEndpointTransport(ClientHttpConnectorBuilder.detect(), HttpClientSettings.defaults());
    }

    /** This transport, with {@code sslBundle} for the TLS connection to the endpoint. */
    public TokenEndpointTransport withSslBundle(SslBundle sslBundle) {
        return new TokenEndpointTransport(connectorBuilder, settings.withSslBundle(sslBundle));
    }

    /**
     * A connector for {@code config}'s endpoint: its connect and read timeouts, redirects not followed (a
     * secret must not follow one to wherever it points), and no cookie store (each token request stands
     * alone).
     */
    ClientHttpConnector connector(TokenEndpointConfig config) {
        return connector(config.limits());
    }

    /** A connector with {@code limits}' timeouts, and the same rules. */
    ClientHttpConnector connector(TokenEndpointConfig.Limits limits) {
        return connectorBuilder.build(HttpClientRedirects.off(settings)
            .withTimeouts(limits.connectTimeout(), limits.readTimeout())
            .withCookieHandling(HttpCookieHandling.DISABLE));
    }

    @Override
    public String toString() {
        // the bundle's own toString lists its stores; whether there is one is all that matters here
        return "TokenEndpointTransport[connector=" + connectorBuilder.getClass().getSimpleName() + ", sslBundle="
                + ((settings.sslBundle() != null) ? "configured" : "none") + "]";
    }
}
