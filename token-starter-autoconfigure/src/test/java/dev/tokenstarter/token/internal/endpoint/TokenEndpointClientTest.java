package dev.tokenstarter.token.internal.endpoint;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.matchers.Times;
import org.mockserver.model.Delay;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.MediaType;

import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.MalformedTokenResponseException;
import dev.tokenstarter.token.endpoint.OAuthErrorException;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockserver.model.HttpResponse.response;
import static org.mockserver.model.Parameter.param;
import static org.mockserver.model.ParameterBody.params;

/**
 * What the endpoint client sends, and how it reads what comes back, against a real HTTP endpoint.server().
 */
class TokenEndpointClientTest {

    private static final String SECRET = "s3cr:t/+ &é";

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private TokenEndpointConfigs.Builder config() {
        return TokenEndpointConfigs.builder(endpoint.uri()).clientId("my client").clientSecret(SECRET);
    }

    private AccessToken fetch(TokenEndpointConfig config, AccessToken previous) {
        return new TokenEndpointClient(config, clock, TokenFetchObserver.NONE).fetch(previous).block();
    }

    @Test
    void clientSecretBasicSendsFormEncodedCredentialsInTheAuthorizationHeader() {
        endpoint.issueOnce("token-basic-abcdef", 3600);

        AccessToken token = fetch(config().scopes(List.of("orders.read", "orders.write")).build(), null);

        HttpRequest sent = endpoint.requests()[0];
        String expected = "my+client:" + "s3cr%3At%2F%2B+%26%C3%A9";
        assertThat(sent.getFirstHeader("Authorization"))
            .isEqualTo("Basic " + Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.US_ASCII)));
        assertThat(sent.getFirstHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        String body = sent.getBodyAsString();
        assertThat(body).contains("grant_type=client_credentials").contains("scope=orders.read+orders.write")
            .doesNotContain("client_secret");
        assertThat(token.value()).isEqualTo("token-basic-abcdef");
        assertThat(token.tokenType()).isEqualTo("bearer");
    }

    @Test
    void clientSecretPostSendsCredentialsInTheBody() {
        endpoint.issueOnce("token-post-abcdef", 3600);

        fetch(config().clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST).build(), null);

        HttpRequest sent = endpoint.requests()[0];
        assertThat(sent.containsHeader("Authorization")).isFalse();
        endpoint.server().verify(tokenRequest().withBody(params(param("grant_type", "client_credentials"),
                param("client_id", "my client"), param("client_secret", SECRET))));
    }

    @Test
    void passwordGrantSendsTheResourceOwnerCredentials() {
        endpoint.issueOnce("token-password-abcdef", 3600);

        fetch(config().grantType(GrantType.PASSWORD).username("alice").password("alice-pw-123")
            .clientAuthMethod(ClientAuthMethod.NONE).build(), null);

        endpoint.server().verify(tokenRequest().withBody(params(param("grant_type", "password"), param("username", "alice"),
                param("password", "alice-pw-123"), param("client_id", "my client"))));
        assertThat(endpoint.requests()[0].containsHeader("Authorization")).isFalse();
    }

    @Test
    void aHeldRefreshTokenIsUsedFirstAndKeptWhenNotRotated() {
        endpoint.server().when(tokenRequest().withBody(params(param("grant_type", "refresh_token"), param("refresh_token", "rt-held-123"))))
            .respond(json(200, TokenEndpointMock.tokenJson("token-refreshed-abc", 3600)));
        AccessToken previous = new AccessToken("token-old-abcdef", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), "rt-held-123", null, null);

        AccessToken token = fetch(config().build(), previous);

        assertThat(token.value()).isEqualTo("token-refreshed-abc");
        assertThat(token.refreshToken()).isEqualTo("rt-held-123");
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void aRotatedRefreshTokenReplacesTheOldOne() {
        endpoint.server().when(tokenRequest().withBody(params(param("grant_type", "refresh_token"))))
            .respond(json(200, "{\"access_token\":\"token-rotated-abc\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                    + "\"refresh_token\":\"rt-new-456\"}"));
        AccessToken previous = new AccessToken("token-old-abcdef", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), "rt-held-123", null, null);

        assertThat(fetch(config().build(), previous).refreshToken()).isEqualTo("rt-new-456");
    }

    @Test
    void anInvalidGrantOnRefreshFallsBackToTheFullGrantInTheSameAttempt() {
        endpoint.server().when(tokenRequest().withBody(params(param("grant_type", "refresh_token"))))
            .respond(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}"));
        endpoint.server().when(tokenRequest().withBody(params(param("grant_type", "client_credentials"))))
            .respond(json(200, TokenEndpointMock.tokenJson("token-full-grant", 3600)));
        AccessToken previous = new AccessToken("token-old-abcdef", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), "rt-stale-123", null, null);
        int[] fallbacks = new int[1];
        TokenFetchObserver observer = new TokenFetchObserver() {
            @Override
            public void refreshTokenRejected() {
                fallbacks[0]++;
            }
        };

        AccessToken token = new TokenEndpointClient(config().build(), clock, observer).fetch(previous).block();

        assertThat(token.value()).isEqualTo("token-full-grant");
        assertThat(token.refreshToken()).isNull();
        assertThat(fallbacks[0]).isEqualTo(1);
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void aCustomRequestCanBeAJsonPutWithExtraParametersAndHeadersAndMappedFields() {
        endpoint.server().when(HttpRequest.request().withMethod("PUT").withPath(TokenEndpointMock.PATH))
            .respond(json(200, "{\"data\":{\"jwt\":\"token-custom-abcdef\",\"ttl\":\"120\"}}"));
        TokenResponseFormat format = new TokenResponseFormat("/data/jwt", null, "/data/ttl", null, null, null, null,
                null, Duration.ofMinutes(5));

        AccessToken token = fetch(config().grantType(GrantType.CUSTOM).method(HttpMethod.PUT)
            .bodyFormat(BodyFormat.JSON).clientAuthMethod(ClientAuthMethod.NONE)
            .extraParameters(Map.of("apiKey", "key-123")).headers(Map.of("X-Tenant", "acme"))
            .responseFormat(format).build(), null);

        HttpRequest sent = endpoint.server().retrieveRecordedRequests(HttpRequest.request().withPath(TokenEndpointMock.PATH))[0];
        assertThat(sent.getFirstHeader("X-Tenant")).isEqualTo("acme");
        assertThat(sent.getFirstHeader("Content-Type")).startsWith("application/json");
        assertThat(tools.jackson.databind.json.JsonMapper.shared().readValue(sent.getBodyAsString(), Map.class))
            .isEqualTo(Map.of("apiKey", "key-123", "client_id", "my client"));
        assertThat(token.value()).isEqualTo("token-custom-abcdef");
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plusSeconds(120));
    }

    @Test
    void theTokenCountsAsIssuedWhenTheRequestWasSentNotWhenTheAnswerArrived() {
        Instant sent = clock.instant();
        endpoint.server().when(tokenRequest(), Times.once()).respond((request) -> {
            clock.advance(Duration.ofSeconds(30)); // the endpoint takes 30 s to answer
            return json(200, TokenEndpointMock.tokenJson("token-slow-abcdef", 3600));
        });

        AccessToken token = fetch(config().build(), null);

        assertThat(clock.instant()).isEqualTo(sent.plusSeconds(30));
        assertThat(token.issuedAt()).isEqualTo(sent);
        assertThat(token.expiresAt()).isEqualTo(sent.plusSeconds(3600));
    }

    @Test
    void anOAuthErrorNamesItsCode() {
        endpoint.respondOnce(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}"));

        assertThatThrownBy(() -> fetch(config().build(), null)).isInstanceOf(OAuthErrorException.class)
            .hasMessageContaining("invalid_client").hasMessageContaining("HTTP 401").hasMessageContaining(endpoint.uri().toString())
            .satisfies((ex) -> assertThat(((OAuthErrorException) ex).kind()).isEqualTo(FailureKind.CLIENT_ERROR));
    }

    @Test
    void anErrorDescriptionNeverRepeatsASecretOfTheClient() {
        String held = "rt-held-5Fp8wQ3nZs6Kd2Jv";
        String configured = "rt-configured-8Lr1tY6bHc9Mx4Wq";
        String apiKey = "key-9Tg4kE2mXr7Ua1Lh";
        String headerValue = "hdr-3Jd8sW1qNv6Yc5Bf";
        String basic = Base64.getEncoder().encodeToString(("my+client:" + "s3cr%3At%2F%2B+%26%C3%A9")
            .getBytes(StandardCharsets.US_ASCII));
        String formEncodedSecret = "s3cr%3At%2F%2B+%26%C3%A9";
        String echo = "refresh_token " + held + " (configured " + configured + ") rejected for client_secret=" + SECRET
                + " / " + formEncodedSecret + ", Authorization: Basic " + basic + ", api_key " + apiKey + ", X-Api-Key "
                + headerValue + "; " + "padding ".repeat(100);
        endpoint.respondOnce(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + echo + "\"}"));
        AccessToken previous = new AccessToken("token-old-abcdef", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), held, null, null);
        TokenEndpointConfig config = config().grantType(GrantType.REFRESH_TOKEN).refreshToken(configured)
            .extraParameters(Map.of("api_key", apiKey)).headers(Map.of("X-Api-Key", headerValue)).build();

        Throwable thrown = catchThrowable(() -> fetch(config, previous));

        assertThat(thrown).isInstanceOf(OAuthErrorException.class);
        String description = ((OAuthErrorException) thrown).errorDescription();
        assertThat(description).startsWith("refresh_token rt-h…").hasSizeLessThanOrEqualTo(201);
        for (String secret : new String[] { held, configured, SECRET, formEncodedSecret, basic, apiKey, headerValue }) {
            assertThat(thrown.getMessage()).doesNotContain(secret);
            assertThat(description).doesNotContain(secret);
        }
    }

    @Test
    void anHtmlErrorPageIsReportedAsSuch() {
        endpoint.respondOnce(response().withStatusCode(200).withContentType(MediaType.TEXT_HTML_UTF_8)
            .withBody("<html><body>Login</body></html>"));

        assertThatThrownBy(() -> fetch(config().build(), null)).isInstanceOf(MalformedTokenResponseException.class)
            .hasMessageContaining("HTML page");
    }

    @Test
    void anOversizedBodyIsCapped() {
        endpoint.respondOnce(json(200, "{\"access_token\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}"));

        assertThatThrownBy(() -> fetch(config().build(), null)).isInstanceOf(MalformedTokenResponseException.class)
            .hasMessageContaining("larger than 1048576 bytes");
    }

    @Test
    void aSlowEndpointTimesOut() {
        endpoint.server().when(tokenRequest(), Times.once())
            .respond(json(200, TokenEndpointMock.tokenJson("token-late-abcdef", 60)).withDelay(Delay.seconds(2)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> fetch(config().readTimeout(Duration.ofMillis(300)).build(), null))
            .isInstanceOf(TokenFetchException.class).hasMessageContaining("timeout")
            .satisfies((ex) -> assertThat(((TokenFetchException) ex).kind()).isEqualTo(FailureKind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void anUnreachableEndpointIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TokenEndpointConfig config = TokenEndpointConfigs.builder(URI.create("http://localhost:" + port + "/token"))
            .clientId("c").clientSecret(SECRET).build();

        assertThatThrownBy(() -> fetch(config, null)).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("could not reach")
            .hasMessageNotContaining(SECRET)
            .satisfies((ex) -> assertThat(((TokenFetchException) ex).kind()).isEqualTo(FailureKind.CONNECTION_ERROR));
    }

    @Test
    void aTokenUriWithUserInfoOrAQueryIsPrintedRedacted() {
        TokenEndpointConfig config = TokenEndpointConfigs
            .builder(URI.create("https://user:pw-7Hq2xV9pLm@auth.example.com/token?api_key=key-3Jd8sW1qNv"))
            .clientId("c").clientSecret(SECRET).build();

        for (String printed : new String[] { config.toString(),
                new TokenEndpointClient(config, clock, TokenFetchObserver.NONE).toString() }) {
            assertThat(printed).contains("https://auth.example.com/token?…").doesNotContain("pw-7Hq2xV9pLm")
                .doesNotContain("key-3Jd8sW1qNv");
        }
    }

    @Test
    void theConfigurationNeverPrintsItsSecrets() {
        TokenEndpointConfig config = config().password("alice-pw-123456").refreshToken("rt-secret-123456").build();

        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("alice-pw-123456")
            .doesNotContain("rt-secret-123456");
        assertThat(new TokenEndpointClient(config, clock, TokenFetchObserver.NONE).toString()).doesNotContain(SECRET);
    }
}
