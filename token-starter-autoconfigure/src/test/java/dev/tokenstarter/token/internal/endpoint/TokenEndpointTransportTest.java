package dev.tokenstarter.token.internal.endpoint;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockserver.model.ConnectionOptions;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How the token endpoint is reached, on the two connectors the README documents (Reactor Netty, the default,
 * and the JDK HttpClient): TLS trusted through an SSL bundle, and the JVM's standard proxy properties.
 */
class TokenEndpointTransportTest {

    private static final String SECRET = "transport-secret-0123456789";

    /** A host that never resolves (RFC 6761): only a proxy can reach it. */
    private static final String UNRESOLVABLE_HOST = "token-endpoint.invalid";

    private static final List<String> PROXY_PROPERTIES = List.of("http.proxyHost", "http.proxyPort", "https.proxyHost",
            "https.proxyPort", "http.nonProxyHosts", "socksProxyHost");

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "reactor", "jdk" })
    void aTlsEndpointIsReachedWhenItsSslBundleTrustsItsCertificate(String connector) {
        endpoint.issueOnce("token-over-tls-abcdef", 3600);

        AccessToken token = client(endpoint.httpsUri(), transport(connector).withSslBundle(trustingMockServer()))
            .fetch(null).block(Duration.ofSeconds(15));

        assertThat(token.value()).isEqualTo("token-over-tls-abcdef");
        assertThat(endpoint.requests()[0].isSecure()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "reactor", "jdk" })
    void anUntrustedCertificateIsAConnectionErrorNamingTheTlsProblemBeforeAnythingIsSent(String connector) {
        endpoint.issueOnce("token-never-sent-abcdef", 3600);

        Throwable thrown = catchThrowable(() -> client(endpoint.httpsUri(), transport(connector)).fetch(null)
            .block(Duration.ofSeconds(15)));

        assertThat(thrown).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("TLS handshake failed")
            .hasMessageContaining("unable to find valid certification path")
            .hasMessageContaining("SSL bundle")
            .hasMessageNotContaining(SECRET);
        assertThat(((TokenFetchException) thrown).kind()).isEqualTo(FailureKind.CONNECTION_ERROR);
        assertThat(endpoint.requestCount()).isZero();
    }

    /**
     * MockServer plays the proxy here: it answers CONNECT, ends TLS with a certificate from its CA for the
     * requested host, and answers the tunnelled token request itself. The host never resolves, so a token
     * proves the proxy was used.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "reactor", "jdk" })
    void theTokenRequestGoesThroughTheProxyNamedByTheJvmProperties(String connector) throws Exception {
        // closing ends the tunnel: MockServer's stop would otherwise wait for it (the clients keep it alive)
        endpoint.respondOnce(TokenEndpointMock.json(200, TokenEndpointMock.tokenJson("token-via-proxy-abcdef", 3600))
            .withConnectionOptions(ConnectionOptions.connectionOptions().withCloseSocket(true)));
        URI tokenUri = URI.create("https://" + UNRESOLVABLE_HOST + TokenEndpointMock.PATH);

        AccessToken token = withSystemProperties(
                Map.of("https.proxyHost", "127.0.0.1", "https.proxyPort", String.valueOf(endpoint.server().getPort())),
                () -> client(tokenUri, transport(connector).withSslBundle(trustingMockServer())).fetch(null)
                    .block(Duration.ofSeconds(15)));

        assertThat(token.value()).isEqualTo("token-via-proxy-abcdef");
        assertThat(endpoint.requests()[0].getFirstHeader("Host")).isEqualTo(UNRESOLVABLE_HOST);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "reactor", "jdk" })
    void aHostListedInNonProxyHostsIsReachedDirectly(String connector) throws Exception {
        endpoint.issueOnce("token-never-sent-abcdef", 3600);
        URI tokenUri = URI.create("https://" + UNRESOLVABLE_HOST + TokenEndpointMock.PATH);

        Throwable thrown = withSystemProperties(Map.of("https.proxyHost", "127.0.0.1", "https.proxyPort",
                String.valueOf(endpoint.server().getPort()), "http.nonProxyHosts", "*.invalid"),
                () -> catchThrowable(() -> client(tokenUri, transport(connector).withSslBundle(trustingMockServer()))
                    .fetch(null).block(Duration.ofSeconds(15))));

        // directly, the unresolvable host cannot be reached
        assertThat(thrown).isInstanceOf(TokenFetchException.class).hasMessageContaining("could not reach");
        assertThat(endpoint.requestCount()).isZero();
    }

    private TokenEndpointClient client(URI tokenUri, TokenEndpointTransport transport) {
        TokenEndpointConfig config = TokenEndpointConfigs.builder(tokenUri).clientId("c").clientSecret(SECRET).build();
        return new TokenEndpointClient(config, clock, TokenFetchObserver.NONE, transport);
    }

    private static TokenEndpointTransport transport(String connector) {
        ClientHttpConnectorBuilder<?> builder = switch (connector) {
            case "reactor" -> ClientHttpConnectorBuilder.reactor();
            case "jdk" -> ClientHttpConnectorBuilder.jdk();
            default -> throw new IllegalArgumentException(connector);
        };
        return new TokenEndpointTransport(builder, HttpClientSettings.defaults());
    }

    private static SslBundle trustingMockServer() {
        return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(TokenEndpointMock.CA_CERTIFICATE)));
    }

    /**
     * Runs {@code action} with exactly {@code values} among the proxy properties, then restores them. Reactor
     * Netty reads them when the client is built, the JDK's ProxySelector on every request: both happen inside.
     */
    private static <T> T withSystemProperties(Map<String, String> values, Callable<T> action) throws Exception {
        Map<String, String> saved = new HashMap<>();
        for (String name : PROXY_PROPERTIES) {
            saved.put(name, System.getProperty(name));
            System.clearProperty(name);
        }
        values.forEach(System::setProperty);
        try {
            return action.call();
        }
        finally {
            saved.forEach((name, value) -> {
                if (value != null) {
                    System.setProperty(name, value);
                }
                else {
                    System.clearProperty(name);
                }
            });
        }
    }
}
