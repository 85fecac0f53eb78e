package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;

/**
 * {@code issuer-uri} instead of {@code token-uri}: nothing is asked at startup, the first token discovers
 * the endpoint; with {@code refresh.fail-fast} a wrong issuer stops startup.
 */
class IssuerDiscoveryAutoConfigurationTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final ApplicationContextRunner runner = StarterContextRunner.create()
        .withPropertyValues("api.auth.client-id=orders", "api.auth.client-secret=orders-secret-123");

    private String issuer() {
        return "http://localhost:" + endpoint.server().getPort();
    }

    private void serveMetadata(String issuer) {
        endpoint.server().when(request().withPath("/.well-known/openid-configuration"))
            .respond(json(200, "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + endpoint.uri() + "\"}"));
    }

    @Test
    void theFirstTokenDiscoversTheEndpointAndStartupAsksNothing() {
        serveMetadata(issuer());
        endpoint.issueOnce("token-discovered-abcdef", 3600);
        runner.withPropertyValues("api.auth.issuer-uri=" + issuer(), "api.auth.refresh.eager=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(endpoint.server().retrieveRecordedRequests(null)).as("requests at startup").isEmpty();
            assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-discovered-abcdef");
            assertThat(context.getBean(TokenProvider.class).toString()).contains("issuer " + issuer());
        });
    }

    @Test
    void withFailFastAWrongIssuerStopsStartup() {
        serveMetadata("https://elsewhere.example.com");
        runner.withPropertyValues("api.auth.issuer-uri=" + issuer(), "api.auth.refresh.fail-fast=true").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("its issuer is 'https://elsewhere.example.com'");
        });
    }

    @Test
    void issuerUriAndTokenUriTogetherAreRefused() {
        runner.withPropertyValues("api.auth.issuer-uri=" + issuer(), "api.auth.token-uri=" + endpoint.uri()).run((context) -> {
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'api.auth.issuer-uri'").contains("together with token-uri");
        });
    }

    @Test
    void anIssuerWithAQueryIsRefused() {
        runner.withPropertyValues("api.auth.issuer-uri=" + issuer() + "?tenant=a").run((context) -> {
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'api.auth.issuer-uri'").contains("no query or fragment");
        });
    }
}
