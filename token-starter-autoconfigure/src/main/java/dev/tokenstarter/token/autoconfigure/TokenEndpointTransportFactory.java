package dev.tokenstarter.token.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.internal.web.HttpClientRedirects;
import dev.tokenstarter.token.internal.web.TokenHttpClients;

/**
 * Builds a client's {@link TokenEndpointTransport} from the application's HTTP client infrastructure: the
 * {@link ClientHttpConnectorBuilder} bean ({@code spring.http.clients.reactive.connector} and its
 * customizers) and the {@link HttpClientSettings} bean ({@code spring.http.clients.*}, an
 * {@code InetAddressFilter} bean), with the client's own {@code request.ssl.bundle} in place of
 * {@code spring.http.clients.ssl.bundle} when it has one. Timeouts and redirects are the endpoint client's.
 */
final class TokenEndpointTransportFactory {

    private TokenEndpointTransportFactory() {
    }

    /**
     * @param beanFactory where the application's HTTP client beans and SSL bundles live
     * @param client the client, with its property prefix
     * @throws InvalidTokenClientPropertyException when its {@code request.ssl.bundle} names no bundle
     */
    static TokenEndpointTransport create(BeanFactory beanFactory, TokenClientsRegistrar.Client client) {
        TokenClientProperties properties = client.properties();
        TokenEndpointTransport transport = new TokenEndpointTransport(TokenHttpClients.Web.connectors(beanFactory),
                HttpClientRedirects.settings(beanFactory));
        String bundle = properties.getRequest().getSsl().getBundle();
        if (!StringUtils.hasText(bundle)) {
            return transport;
        }
        SslBundle sslBundle = sslBundle(beanFactory, client.prefix() + ".request.ssl.bundle", bundle.trim());
        if (properties.getClientAuthMethod().usesClientCertificate() && sslBundle.getStores().getKeyStore() == null) {
            throw new InvalidTokenClientPropertyException(client.prefix() + ".request.ssl.bundle", "SSL bundle '"
                    + bundle.trim() + "' has no key store, so no client certificate would be presented to authenticate "
                    + "the client", "Give the bundle a key store: spring.ssl.bundle.pem." + bundle.trim()
                            + ".keystore.certificate and .keystore.private-key (or a jks bundle's keystore.location).");
        }
        return transport.withSslBundle(sslBundle);
    }

    /**
     * The SSL bundle called {@code name}.
     * @throws InvalidTokenClientPropertyException naming {@code property} when there is no such bundle
     */
    static SslBundle sslBundle(BeanFactory beanFactory, String property, String name) {
        String action = "Define the bundle, e.g. spring.ssl.bundle.pem." + name + ".truststore.certificate="
                + "classpath:ca.pem (or spring.ssl.bundle.jks." + name + ".truststore.location), or "
                + "correct " + property + ".";
        SslBundles bundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
        if (bundles == null) {
            throw new InvalidTokenClientPropertyException(property, "it names SSL bundle '" + name + "', but the "
                    + "application has no SSL bundles (no SslBundles bean: SslAutoConfiguration is not active)", action);
        }
        try {
            return bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidTokenClientPropertyException(property, "there is no SSL bundle named '" + name
                    + "' (configured bundles: " + bundles.getBundleNames() + ")", action);
        }
    }
}
