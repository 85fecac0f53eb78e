package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code request.ssl.bundle}: the token endpoint over TLS with a certificate no JVM trusts (MockServer's, from its
 * own CA), reached through a Spring Boot SSL bundle trusting that CA, per client or from
 * {@code spring.http.clients.ssl.bundle}; a bundle name that does not exist stops startup.
 */
class TokenEndpointSslTest {

    private static final String SECRET = "tls-secret-value-123";

    private static final String TRUSTING_BUNDLE = "spring.ssl.bundle.pem.token-ca.truststore.certificate="
            + TokenEndpointMock.CA_CERTIFICATE;

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final ApplicationContextRunner runner = StarterContextRunner.create();

    /** The primary client on the TLS endpoint, and a named one on the same endpoint. */
    private static String[] clients() {
        return new String[] { "api.auth.token-uri=" + endpoint.httpsUri(), "api.auth.client-id=orders-service",
                "api.auth.client-secret=" + SECRET, "api.auth.refresh.eager=false",
                "api.auth.clients.billing.token-uri=" + endpoint.httpsUri(), "api.auth.clients.billing.client-id=billing",
                "api.auth.clients.billing.client-secret=" + SECRET, "api.auth.clients.billing.refresh.eager=false" };
    }

    @Test
    void onlyTheClientWhoseBundleTrustsTheEndpointReachesIt() {
        endpoint.issueOnce("token-over-tls-abcdef", 3600);
        runner.withPropertyValues(clients()).withPropertyValues(TRUSTING_BUNDLE, "api.auth.request.ssl.bundle=token-ca")
            .run((context) -> {
                assertThat(context).hasNotFailed();

                assertThat(context.getBean("apiTokenProvider", TokenProvider.class).getToken().value())
                    .isEqualTo("token-over-tls-abcdef");
                Throwable thrown = catchThrowable(() -> context.getBean("billingTokenProvider", TokenProvider.class)
                    .getToken());

                assertThat(thrown).isInstanceOf(TokenFetchException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("unable to find valid certification path")
                    .hasMessageContaining("configure an SSL bundle that trusts it (request.ssl.bundle)")
                    .hasMessageNotContaining(SECRET);
                assertThat(((TokenFetchException) thrown).kind()).isEqualTo(FailureKind.CONNECTION_ERROR);
                assertThat(endpoint.requests()).hasSize(1).allSatisfy((request) -> assertThat(request.isSecure()).isTrue());
            });
    }

    @Test
    void springHttpClientsSslBundleIsTheDefault() {
        endpoint.issueOnce("token-over-tls-abcdef", 3600);
        runner.withPropertyValues(clients()).withPropertyValues(TRUSTING_BUNDLE, "spring.http.clients.ssl.bundle=token-ca")
            .run((context) -> assertThat(context.getBean("billingTokenProvider", TokenProvider.class).getToken().value())
                .isEqualTo("token-over-tls-abcdef"));
    }

    @Test
    void theClientsBundleReplacesSpringHttpClientsBundle() {
        runner.withPropertyValues(clients())
            .withPropertyValues(TRUSTING_BUNDLE, "spring.ssl.bundle.pem.app-wide.truststore.certificate="
                    + TokenEndpointMock.CA_CERTIFICATE, "spring.http.clients.ssl.bundle=app-wide",
                    "api.auth.request.ssl.bundle=token-ca")
            .run((context) -> {
                SslBundles bundles = context.getBean(SslBundles.class);
                TokenClientsProperties properties = context.getBean(TokenClientsProperties.class);

                TokenEndpointTransport api = TokenEndpointTransportFactory.create(context,
                        new TokenClientsRegistrar.Client("api", "api.auth", properties));
                TokenEndpointTransport billing = TokenEndpointTransportFactory.create(context,
                        new TokenClientsRegistrar.Client("billing", "api.auth.clients.billing", properties.getClients().get("billing")));

                assertThat(api.settings().sslBundle()).isSameAs(bundles.getBundle("token-ca"));
                assertThat(billing.settings().sslBundle()).isSameAs(bundles.getBundle("app-wide"));
            });
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            api.auth.request.ssl.bundle=tokn-ca                   | api.auth.request.ssl.bundle
            api.auth.clients.billing.request.ssl.bundle=tokn-ca   | api.auth.clients.billing.request.ssl.bundle
            """)
    void aBundleNameThatDoesNotExistFailsStartupWithAnAnalysisNamingIt(String property, String name) {
        runner.withPropertyValues(clients()).withPropertyValues(TRUSTING_BUNDLE, property).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("'" + name + "'")
                .contains("there is no SSL bundle named 'tokn-ca' (configured bundles: [token-ca])")
                .doesNotContain(SECRET);
            assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.tokn-ca.truststore.certificate");
        });
    }
}
