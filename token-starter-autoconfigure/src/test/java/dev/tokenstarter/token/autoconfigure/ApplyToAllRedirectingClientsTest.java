package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * {@code apply-to-all-clients} leaves redirects of the application's own clients to their HTTP client. The
 * JDK {@code HttpClient} on Java 17 forwards {@code Authorization} and {@code Cookie} to another host on a
 * redirect (on Java 25 it strips them), so that combination is refused at startup where it would leak.
 */
class ApplyToAllRedirectingClientsTest {




    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();



    @BeforeEach
    void reset() {
        servers.foreign().when(request()).respond(json(200, "\"foreign\""));
        // another host: 127.0.0.1 instead of localhost
        servers.api().when(request().withPath("/moved")).respond(response().withStatusCode(302)
            .withHeader(HttpHeaders.LOCATION, "http://127.0.0.1:" + servers.foreign().getPort() + "/landing"));
        servers.tokens().when(TokenEndpointMock.tokenRequest()).respond(json(200, TokenEndpointMock.tokenJson("token-one-abcdef", 3600)));
    }

    private ApplicationContextRunner runner(String... extra) {
        return StarterContextRunner.create()
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=http://localhost:" + servers.api().getPort(),
                    "api.auth.refresh.eager=false", "api.auth.apply-to-all-clients=true")
            .withPropertyValues(extra);
    }

    static boolean jdkForwardsCredentials() {
        return Runtime.version().feature() < dev.tokenstarter.token.internal.web.HttpClientRedirects.FIRST_JDK_STRIPPING_CREDENTIALS;
    }

    static boolean jdkStripsCredentials() {
        return !jdkForwardsCredentials();
    }

    @ParameterizedTest
    @ValueSource(strings = { "spring.http.clients.imperative.factory=jdk", "spring.http.clients.reactive.connector=jdk" })
    @EnabledIf("jdkForwardsCredentials")
    void theJdkHttpClientFollowingRedirectsIsRefusedWhereItForwardsCredentials(String property) {
        runner(property).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("'api.auth.apply-to-all-clients'")
                .contains("JDK HttpClient (" + property.substring(0, property.indexOf('=')) + ")")
                .contains("even to another host");
            assertThat(analysis.getAction()).contains("spring.http.clients.redirects=dont-follow");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "spring.http.clients.imperative.factory=jdk", "spring.http.clients.reactive.connector=jdk" })
    @EnabledIf("jdkForwardsCredentials")
    void theJdkHttpClientWithoutRedirectsIsAccepted(String property) {
        runner(property, "spring.http.clients.redirects=dont-follow").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(status(context, property.contains("reactive"))).isEqualTo(302);
            assertThat(servers.foreign().retrieveRecordedRequests(request())).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "spring.http.clients.imperative.factory=jdk", "spring.http.clients.reactive.connector=jdk" })
    @EnabledIf("jdkStripsCredentials")
    void onANewerJdkTheJdkHttpClientIsAcceptedAndDropsTheToken(String property) {
        runner(property).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(status(context, property.contains("reactive"))).isEqualTo(200);
            assertThat(servers.foreign().retrieveRecordedRequests(request().withPath("/landing"))).hasSize(1)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    @Test
    void theDefaultClientsDropTheTokenOnACrossHostRedirect() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(status(context, false)).isEqualTo(200);
            assertThat(status(context, true)).isEqualTo(200);
            HttpRequest[] landed = servers.foreign().retrieveRecordedRequests(request().withPath("/landing"));
            assertThat(landed).hasSize(2).allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        });
    }

    private int status(AssertableApplicationContext context, boolean reactive) {
        String uri = "http://localhost:" + servers.api().getPort() + "/moved";
        if (reactive) {
            return context.getBean(WebClient.Builder.class).build().get().uri(uri)
                .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block();
        }
        return context.getBean(RestClient.Builder.class).build().get().uri(uri)
            .exchange((request, response) -> response.getStatusCode().value());
    }
}
