package dev.tokenstarter.token.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.ManualClock;
import dev.tokenstarter.token.test.RecordedRequest;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API this project was first written for: the first token from a plain POST (client credentials in the
 * form), refreshes by POST with an empty body and the refresh token as {@code Authorization: Bearer},
 * {@code "token_type": "bearer"} in lower case, rotating refresh tokens, a used one answered 401
 * {@code invalid_grant}. One instance against {@link LoopbackTokenEndpoint#builder()}'s
 * {@code refreshByBearerHeader()}, which accepts a refresh in no other shape, over several lifetimes on a
 * hand-moved clock.
 */
class SeedApiRefreshTest {

    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T08:00:00Z"));

    private ApplicationContextRunner runner(LoopbackTokenEndpoint endpoint) {
        return StarterContextRunner.create()
            .withBean("apiAuthClock", Clock.class, () -> clock)
            .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.base-url=" + endpoint.apiUri(),
                    "api.auth.grant-type=custom", "api.auth.client-id=seed-client",
                    "api.auth.client-secret=seed-secret-1234", "api.auth.client-auth-method=client-secret-post",
                    "api.auth.refresh.eager=false");
    }

    @Test
    void refreshesGoTheSeedsWayOneFullGrantTheRestRefreshesNoCallWithAnExpiredOrUnknownToken() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().clock(clock).lifetime(LIFETIME)
            .refreshByBearerHeader()
            .start()) {
            runner(endpoint).withPropertyValues("api.auth.request.refresh-token-presentation=bearer-header")
                .run((context) -> {
                    RestClient api = context.getBean("apiRestClient", RestClient.class);
                    // five lifetimes, a call every minute
                    for (int minute = 0; minute < 50; minute++) {
                        api.get().uri("/orders").retrieve().toBodilessEntity();
                        clock.advance(Duration.ofMinutes(1));
                    }

                    List<RecordedRequest> requests = endpoint.requests();
                    assertThat(endpoint.issuedCount() - endpoint.refreshCount()).as("full grants").isEqualTo(1);
                    assertThat(endpoint.refreshCount()).as("refreshes").isGreaterThanOrEqualTo(4);
                    assertThat(requests).as("every request got a token").hasSize(endpoint.issuedCount());
                    assertThat(requests.get(0).formParameters()).containsEntry("client_id", "seed-client")
                        .doesNotContainKey("grant_type");
                    for (RecordedRequest refresh : requests.subList(1, requests.size())) {
                        assertThat(refresh.method()).isEqualTo("POST");
                        assertThat(refresh.body()).as("refresh body").isEmpty();
                        assertThat(refresh.header("Authorization")).startsWith("Bearer refresh-token-");
                    }
                    assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(50);
                    assertThat(endpoint.apiCalls(TokenStatus.EXPIRED) + endpoint.apiCalls(TokenStatus.REVOKED)
                            + endpoint.apiCalls(TokenStatus.UNKNOWN)).isZero();
                    assertThat(endpoint.refreshTokenReuses()).isZero();
                });
        }
    }

    /**
     * A used refresh token is refused (401 invalid_grant) and the client falls back to the first token's
     * request in the same attempt: the call succeeds.
     */
    @Test
    void aRefreshTokenUsedElsewhereIsRefusedAndTheFirstTokensRequestFollows() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().clock(clock).lifetime(LIFETIME)
            .refreshByBearerHeader()
            .start()) {
            runner(endpoint).withPropertyValues("api.auth.request.refresh-token-presentation=bearer-header")
                .run((context) -> {
                    RestClient api = context.getBean("apiRestClient", RestClient.class);
                    api.get().uri("/orders").retrieve().toBodilessEntity();
                    // someone else redeems the client's refresh token
                    HttpResponse<String> elsewhere = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.uri())
                        .header("Authorization", "Bearer refresh-token-1")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(elsewhere.statusCode()).isEqualTo(200);
                    clock.advance(LIFETIME.minusSeconds(2)); // past the expiry margin: the call waits for the fetch

                    api.get().uri("/orders").retrieve().toBodilessEntity();

                    List<RecordedRequest> requests = endpoint.requests();
                    assertThat(endpoint.refreshTokenReuses()).as("the used refresh token was presented once").isEqualTo(1);
                    assertThat(requests.get(requests.size() - 2).header("Authorization")).isEqualTo("Bearer refresh-token-1");
                    assertThat(requests.get(requests.size() - 1).formParameters()).containsEntry("client_id", "seed-client");
                    assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(2);
                });
        }
    }

    /** With the JSON body format too, a refresh has no body at all (not {}). */
    @Test
    void aRefreshInJsonBodyFormatHasNoBodyEither() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().clock(clock).lifetime(LIFETIME)
            .refreshByBearerHeader()
            .start()) {
            runner(endpoint).withPropertyValues("api.auth.request.refresh-token-presentation=bearer-header",
                    "api.auth.request.body-format=json")
                .run((context) -> {
                    RestClient api = context.getBean("apiRestClient", RestClient.class);
                    for (int minute = 0; minute < 20; minute++) {
                        api.get().uri("/orders").retrieve().toBodilessEntity();
                        clock.advance(Duration.ofMinutes(1));
                    }
                    assertThat(endpoint.refreshCount()).isGreaterThanOrEqualTo(2);
                    assertThat(endpoint.issuedCount() - endpoint.refreshCount()).as("full grants").isEqualTo(1);
                    assertThat(endpoint.requests().get(0).body()).startsWith("{");
                });
        }
    }

    @Test
    void theBearerHeaderPresentationWithAnAuthorizationRequestHeaderStopsStartup() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            runner(endpoint).withPropertyValues("api.auth.request.refresh-token-presentation=bearer-header",
                    "api.auth.request.headers.Authorization=Bearer something")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer()
                        .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("api.auth.request.headers", "bearer-header")
                        .doesNotContain("something");
                });
        }
    }

    /** What the property changes: presented as the form parameter, every refresh is refused and a full grant follows. */
    @Test
    void withTheRfc6749PresentationEveryRefreshIsRefusedAndBecomesAFullGrant() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().clock(clock).lifetime(LIFETIME)
            .refreshByBearerHeader()
            .start()) {
            runner(endpoint).run((context) -> {
                RestClient api = context.getBean("apiRestClient", RestClient.class);
                for (int minute = 0; minute < 30; minute++) {
                    api.get().uri("/orders").retrieve().toBodilessEntity();
                    clock.advance(Duration.ofMinutes(1));
                }
                assertThat(endpoint.refreshCount()).isZero();
                assertThat(endpoint.issuedCount()).as("full grants").isGreaterThanOrEqualTo(3);
                assertThat(endpoint.requestCount()).isGreaterThan(endpoint.issuedCount());
            });
        }
    }

    @Test
    void theBearerHeaderPresentationWithClientSecretBasicStopsStartupNamingBothProperties() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            runner(endpoint).withPropertyValues("api.auth.request.refresh-token-presentation=bearer-header",
                    "api.auth.client-auth-method=client-secret-basic")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer()
                        .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("api.auth.request.refresh-token-presentation",
                            "api.auth.client-auth-method");
                    assertThat(analysis.getAction()).contains("client-secret-post");
                });
        }
    }
}
