package dev.tokenstarter.token.internal.endpoint;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.HttpRequest;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockserver.model.HttpRequest.request;

/**
 * Issuer discovery: where the metadata is looked for, what it must say, and that a failed discovery is a
 * failed fetch under the provider's backoff.
 */
class IssuerDiscoveryTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private URI issuer() {
        return URI.create("http://localhost:" + endpoint.server().getPort() + "/realms/shop");
    }

    private static HttpRequest oidc() {
        return request().withMethod("GET").withPath("/realms/shop/.well-known/openid-configuration");
    }

    private static HttpRequest oauth() {
        return request().withMethod("GET").withPath("/.well-known/oauth-authorization-server/realms/shop");
    }

    private String metadata(String issuer) {
        return "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + endpoint.uri() + "\",\"jwks_uri\":\"x\"}";
    }

    private DiscoveredTokenSource source() {
        return new DiscoveredTokenSource(new IssuerDiscovery(issuer(), TokenEndpointConfig.Limits.DEFAULT,
                TokenEndpointTransport.detect()), (tokenUri) -> new TokenEndpointClient(TokenEndpointConfigs
                    .builder(tokenUri).clientId("orders").clientSecret("orders-secret").build(), clock, TokenFetchObserver.NONE));
    }

    @Test
    void theOpenIdConfigurationNamesTheTokenEndpointOnceForEveryFetch() {
        endpoint.respondOnce(oidc(), json(200, metadata(issuer().toString())));
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        DiscoveredTokenSource source = source();

        assertThat(source.fetch(null).block().value()).isEqualTo("token-one-abcdef");
        assertThat(source.fetch(null).block().value()).isEqualTo("token-two-abcdef");

        assertThat(endpoint.server().retrieveRecordedRequests(oidc())).hasSize(1);
        assertThat(source.toString()).contains(endpoint.uri().toString());
    }

    @Test
    void withoutOpenIdConfigurationTheRfc8414MetadataIsRead() {
        endpoint.respondOnce(oidc(), json(404, "{}"));
        endpoint.respondOnce(oauth(), json(200, metadata(issuer().toString())));
        endpoint.issueOnce("token-8414-abcdef", 3600);

        assertThat(source().fetch(null).block().value()).isEqualTo("token-8414-abcdef");
    }

    @Test
    void aDocumentForAnotherIssuerIsRefused() {
        endpoint.respondOnce(oidc(), json(200, metadata("http://evil.example.com/realms/shop")));

        Throwable failure = catchThrowable(() -> source().fetch(null).block());

        assertThat(failure).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("'http://evil.example.com/realms/shop', not the configured '" + issuer() + "'");
        assertThat(((TokenFetchException) failure).kind()).isEqualTo(FailureKind.PARSE_ERROR);
        assertThat(endpoint.requestCount()).as("token requests").isZero();
    }

    /** Issue 20, defect 3: an http issuer on loopback could send the client credentials over plain http anywhere. */
    @Test
    void aPlainHttpTokenEndpointOnAnotherHostIsRefusedWithoutAllowInsecureHttp() {
        String elsewhere = "{\"issuer\":\"" + issuer() + "\",\"token_endpoint\":\"http://auth.example.com/token\"}";
        endpoint.respondOnce(oidc(), json(200, elsewhere));

        Throwable failure = catchThrowable(() -> source().fetch(null).block());

        assertThat(failure).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("'http://auth.example.com/token' uses plain http to a non-loopback host")
            .hasMessageContaining("allow-insecure-http");
        assertThat(((TokenFetchException) failure).kind()).isEqualTo(FailureKind.PARSE_ERROR);
    }

    @Test
    void aPlainHttpTokenEndpointOnAnotherHostIsUsedWhenInsecureHttpIsAllowed() {
        String elsewhere = "{\"issuer\":\"" + issuer() + "\",\"token_endpoint\":\"http://auth.example.com/token\"}";
        endpoint.respondOnce(oidc(), json(200, elsewhere));

        URI found = new IssuerDiscovery(issuer(), TokenEndpointConfig.Limits.DEFAULT, TokenEndpointTransport.detect(), true)
            .tokenEndpoint()
            .block();

        assertThat(found).isEqualTo(URI.create("http://auth.example.com/token"));
    }

    @Test
    void noMetadataAtEitherLocationNamesBoth() {
        Throwable failure = catchThrowable(() -> source().fetch(null).block());

        assertThat(failure).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("/realms/shop/.well-known/openid-configuration answered 404")
            .hasMessageContaining("/.well-known/oauth-authorization-server/realms/shop answered 404");
        assertThat(((TokenFetchException) failure).kind()).isEqualTo(FailureKind.CLIENT_ERROR);
    }

    @Test
    void theMetadataLocationsOfAnIssuerWithoutPath() {
        IssuerDiscovery discovery = new IssuerDiscovery(URI.create("https://auth.example.com"),
                TokenEndpointConfig.Limits.DEFAULT, TokenEndpointTransport.detect());
        assertThat(discovery.locations()).containsExactly(
                URI.create("https://auth.example.com/.well-known/openid-configuration"),
                URI.create("https://auth.example.com/.well-known/oauth-authorization-server"));
    }

    @Test
    void aFailedDiscoveryIsAFailedFetchUnderTheBackoffAndIsAskedAgainAfterIt() {
        endpoint.respondOnce(oidc(), json(503, "{}"));
        CachingTokenProvider provider = new CachingTokenProvider(source(), RefreshTiming.DEFAULTS,
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0), clock, clock,
                Duration.ofSeconds(10), "test client");

        assertThat(catchThrowable(provider::getToken)).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("answered 503");
        assertThat(catchThrowable(provider::getToken)).as("within the backoff").isInstanceOf(TokenUnavailableException.class);
        assertThat(endpoint.server().retrieveRecordedRequests(oidc())).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        endpoint.respondOnce(oidc(), json(200, metadata(issuer().toString())));
        endpoint.issueOnce("token-after-abcdef", 3600);
        assertThat(provider.getToken().value()).isEqualTo("token-after-abcdef");
        assertThat(endpoint.server().retrieveRecordedRequests(oidc())).hasSize(2);
    }
}
