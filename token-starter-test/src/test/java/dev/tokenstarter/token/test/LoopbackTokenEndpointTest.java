package dev.tokenstarter.token.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint.Mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoopbackTokenEndpointTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void issuesNumberedTokensWithTheLifetimeAndRecordsTheRequests() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(300))
            .tokenPrefix("test-token").start()) {
            assertThat(endpoint.uri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/token");
            HttpResponse<String> first = requestToken(endpoint, "grant_type=client_credentials&scope=a%20b");
            HttpResponse<String> second = requestToken(endpoint, "grant_type=client_credentials");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(first.body())
                .isEqualTo("{\"access_token\":\"test-token-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            assertThat(second.body()).contains("\"test-token-2\"");
            assertThat(endpoint.requestCount()).isEqualTo(2);
            assertThat(endpoint.issuedCount()).isEqualTo(2);
            assertThat(endpoint.latestToken()).isEqualTo("test-token-2");
            RecordedRequest recorded = endpoint.requests().get(0);
            assertThat(recorded.method()).isEqualTo("POST");
            assertThat(recorded.path()).isEqualTo("/token");
            assertThat(recorded.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(recorded.formParameters()).containsEntry("grant_type", "client_credentials")
                .containsEntry("scope", "a b");

            endpoint.resetCounts();
            assertThat(endpoint.requestCount()).isZero();
            assertThat(endpoint.issuedCount()).isZero();
            assertThat(endpoint.requests()).isEmpty();
            assertThat(endpoint.isValid("test-token-1")).isTrue();
        }
    }

    @Test
    void scriptedAnswersComeFirstInOrder() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            endpoint.respondNext(400, "{\"error\":\"invalid_client\"}");
            endpoint.issueNext("chosen", Duration.ofSeconds(60));

            HttpResponse<String> rejected = requestToken(endpoint, "");
            HttpResponse<String> chosen = requestToken(endpoint, "");
            HttpResponse<String> generated = requestToken(endpoint, "");

            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body()).isEqualTo("{\"error\":\"invalid_client\"}");
            assertThat(chosen.body()).contains("\"access_token\":\"chosen\"", "\"expires_in\":60");
            assertThat(generated.body()).contains("\"expires_in\":3600");
            assertThat(endpoint.requestCount()).isEqualTo(3);
            assertThat(endpoint.issuedCount()).isEqualTo(2);
            assertThat(endpoint.isValid("chosen")).isTrue();
        }
    }

    @Test
    void tokensExpireByTheEndpointsClock() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().clock(clock).start()) {
            endpoint.issueNext("short", Duration.ofSeconds(60));
            requestToken(endpoint, "");
            assertThat(endpoint.status("short")).isEqualTo(TokenStatus.VALID);
            clock.advance(Duration.ofSeconds(59));
            assertThat(endpoint.status("short")).isEqualTo(TokenStatus.VALID);
            clock.advance(Duration.ofSeconds(1));
            assertThat(endpoint.status("short")).isEqualTo(TokenStatus.EXPIRED);
            assertThat(endpoint.status("never-issued")).isEqualTo(TokenStatus.UNKNOWN);
            assertThat(endpoint.status(null)).isEqualTo(TokenStatus.UNKNOWN);
        }
    }

    @Test
    void revokingEarlierTokensLeavesOnlyTheLatestValid() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().revokeEarlierTokens().start()) {
            requestToken(endpoint, "");
            requestToken(endpoint, "");
            assertThat(endpoint.status("token-1")).isEqualTo(TokenStatus.REVOKED);
            assertThat(endpoint.status("token-2")).isEqualTo(TokenStatus.VALID);
            assertThat(endpoint.latestToken()).isEqualTo("token-2");
        }
    }

    @Test
    void tokensAreRevokedOneByOneOrAllAtOnce() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            requestToken(endpoint, "");
            requestToken(endpoint, "");
            endpoint.revoke("token-1");
            assertThat(endpoint.status("token-1")).isEqualTo(TokenStatus.REVOKED);
            assertThat(endpoint.status("token-2")).isEqualTo(TokenStatus.VALID);
            endpoint.revokeAll();
            requestToken(endpoint, "");
            assertThat(endpoint.status("token-2")).isEqualTo(TokenStatus.REVOKED);
            assertThat(endpoint.status("token-3")).isEqualTo(TokenStatus.VALID);
        }
    }

    @Test
    void rotatingRefreshTokensAreRedeemedOnceAndAReuseIsInvalidGrant() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().rotateRefreshTokens().start()) {
            HttpResponse<String> first = requestToken(endpoint, "grant_type=client_credentials");
            assertThat(first.body()).contains("\"access_token\":\"token-1\"", "\"refresh_token\":\"refresh-token-1\"");

            HttpResponse<String> refreshed = requestToken(endpoint, "grant_type=refresh_token&refresh_token=refresh-token-1");
            HttpResponse<String> reused = requestToken(endpoint, "grant_type=refresh_token&refresh_token=refresh-token-1");
            HttpResponse<String> unknown = requestToken(endpoint, "grant_type=refresh_token&refresh_token=made-up");
            HttpResponse<String> next = requestToken(endpoint, "grant_type=refresh_token&refresh_token=refresh-token-2");

            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(refreshed.body()).contains("\"token-2\"", "\"refresh_token\":\"refresh-token-2\"");
            assertThat(reused.statusCode()).isEqualTo(400);
            assertThat(reused.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(endpoint.refreshTokenReuses()).as("only the redeemed one counts as a reuse").isEqualTo(1);
            assertThat(endpoint.issuedCount()).isEqualTo(3);
        }
    }

    @Test
    void refreshingByBearerHeaderAcceptsARefreshInThatShapeOnly() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().refreshByBearerHeader().start()) {
            HttpResponse<String> first = requestToken(endpoint, "client_id=seed&client_secret=s");
            assertThat(first.body()).isEqualTo("{\"access_token\":\"token-1\",\"refresh_token\":\"refresh-token-1\","
                    + "\"token_type\":\"bearer\",\"expires_in\":3600}");

            HttpResponse<String> asForm = requestToken(endpoint, "grant_type=refresh_token&refresh_token=refresh-token-1");
            HttpResponse<String> withBody = send(tokenRequest(endpoint, "grant_type=refresh_token")
                .header("Authorization", "Bearer refresh-token-1"));
            HttpResponse<String> byPut = send(HttpRequest.newBuilder(endpoint.uri())
                .header("Authorization", "Bearer refresh-token-1")
                .PUT(BodyPublishers.noBody()));
            HttpResponse<String> refreshed = send(tokenRequest(endpoint, "").header("Authorization", "Bearer refresh-token-1"));
            HttpResponse<String> reused = send(tokenRequest(endpoint, "").header("Authorization", "Bearer refresh-token-1"));

            assertThat(asForm.statusCode()).isEqualTo(401);
            assertThat(withBody.statusCode()).isEqualTo(401);
            assertThat(byPut.statusCode()).isEqualTo(401);
            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(refreshed.body()).contains("\"access_token\":\"token-2\"", "\"refresh_token\":\"refresh-token-2\"");
            assertThat(reused.statusCode()).isEqualTo(401);
            assertThat(reused.body()).contains("invalid_grant");
            assertThat(endpoint.refreshCount()).isEqualTo(1);
            assertThat(endpoint.refreshTokenReuses()).isEqualTo(1);
            assertThat(endpoint.issuedCount()).isEqualTo(2);
        }
    }

    @Test
    void theApiAcceptsOnlyValidTokensAndCountsByStatus() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().revokeEarlierTokens().start()) {
            requestToken(endpoint, "");
            requestToken(endpoint, "");

            HttpResponse<String> valid = callApi(endpoint, "Bearer token-2");
            HttpResponse<String> revoked = callApi(endpoint, "bearer token-1");
            HttpResponse<String> unknown = callApi(endpoint, "Bearer forged");
            HttpResponse<String> none = callApi(endpoint, null);

            assertThat(valid.statusCode()).isEqualTo(200);
            assertThat(valid.body()).isEqualTo("[]");
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(endpoint.apiCalls()).isEqualTo(4);
            assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(1);
            assertThat(endpoint.apiCalls(TokenStatus.REVOKED)).isEqualTo(1);
            assertThat(endpoint.apiCalls(TokenStatus.UNKNOWN)).isEqualTo(2);
            assertThat(endpoint.apiCalls(TokenStatus.EXPIRED)).isZero();
            assertThat(endpoint.requestCount()).as("API calls are not token requests").isEqualTo(2);
        }
    }

    @Test
    void anApiForAnotherAudienceRejectsValidTokensToo() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().apiRejectsEveryToken().start()) {
            requestToken(endpoint, "");

            HttpResponse<String> rejected = callApi(endpoint, "Bearer token-1");

            assertThat(rejected.statusCode()).isEqualTo(401);
            assertThat(endpoint.isValid("token-1")).isTrue();
            assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(1);
        }
    }

    @Test
    void actingForSubjectsIssuesTokensPerSubjectAndRefusesOtherGrants() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().subjectGrants()
            .requireParameter("requested_token_use", "on_behalf_of").start()) {
            String jwtBearer = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                    + "&requested_token_use=on_behalf_of&assertion=";
            HttpResponse<String> forAlice = requestToken(endpoint, jwtBearer + "alice-token");
            HttpResponse<String> forBob = requestToken(endpoint, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type"
                    + "%3Atoken-exchange&requested_token_use=on_behalf_of&subject_token=bob-token");
            HttpResponse<String> withoutUse = requestToken(endpoint,
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=alice-token");
            HttpResponse<String> withoutSubject = requestToken(endpoint, jwtBearer);
            HttpResponse<String> clientCredentials = requestToken(endpoint,
                    "grant_type=client_credentials&requested_token_use=on_behalf_of");

            assertThat(forAlice.body()).contains("\"access_token\":\"token-1\"");
            assertThat(forBob.body()).contains("\"access_token\":\"token-2\"");
            assertThat(endpoint.subjectOf("token-1")).isEqualTo("alice-token");
            assertThat(endpoint.subjectOf("token-2")).isEqualTo("bob-token");
            assertThat(endpoint.subjectOf("forged")).isNull();
            assertThat(withoutUse.statusCode()).isEqualTo(400);
            assertThat(withoutUse.body()).contains("invalid_request", "requested_token_use must be on_behalf_of");
            assertThat(withoutSubject.statusCode()).isEqualTo(400);
            assertThat(withoutSubject.body()).contains("invalid_request", "assertion is missing");
            assertThat(clientCredentials.statusCode()).isEqualTo(400);
            assertThat(clientCredentials.body()).contains("unsupported_grant_type");
            assertThat(endpoint.issuedCount()).isEqualTo(2);
            assertThat(endpoint.requests().get(0).formParameters()).containsEntry("assertion", "alice-token")
                .containsEntry("requested_token_use", "on_behalf_of");
        }
    }

    @Test
    void aScriptedTokenIsIssuedForTheSubjectOfTheRequestItAnswers() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().subjectGrants().start()) {
            endpoint.issueNext("chosen", Duration.ofSeconds(60));

            requestToken(endpoint, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=carol");

            assertThat(endpoint.subjectOf("chosen")).isEqualTo("carol");
        }
    }

    @Test
    void apiRequestsAreRecordedOnlyWhenAsked() throws Exception {
        try (LoopbackTokenEndpoint recording = LoopbackTokenEndpoint.builder().recordApiRequests().start();
                LoopbackTokenEndpoint silent = LoopbackTokenEndpoint.start()) {
            callApi(recording, "Bearer some-token");
            callApi(silent, "Bearer some-token");

            assertThat(recording.apiRequests()).singleElement().satisfies((request) -> {
                assertThat(request.path()).isEqualTo("/api/orders");
                assertThat(request.header("authorization")).isEqualTo("Bearer some-token");
            });
            assertThat(silent.apiRequests()).isEmpty();
            recording.resetCounts();
            assertThat(recording.apiRequests()).isEmpty();
        }
    }

    @Test
    void outagesRefuseFailAndStallThenTheEndpointComesBackOnItsPort() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().slowDelay(Duration.ofMillis(500))
            .start()) {
            URI uri = endpoint.uri();

            endpoint.switchTo(Mode.REFUSED);
            assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> requestToken(endpoint, ""));

            endpoint.switchTo(Mode.UNAVAILABLE);
            HttpResponse<String> unavailable = requestToken(endpoint, "");
            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(unavailable.body()).isEqualTo("{\"error\":\"temporarily_unavailable\"}");

            endpoint.switchTo(Mode.SLOW);
            HttpRequest impatient = tokenRequest(endpoint, "").timeout(Duration.ofMillis(100)).build();
            assertThatExceptionOfType(HttpTimeoutException.class)
                .isThrownBy(() -> http.send(impatient, BodyHandlers.ofString()));

            endpoint.switchTo(Mode.UP);
            assertThat(endpoint.uri()).isEqualTo(uri);
            HttpResponse<String> up = requestToken(endpoint, "");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(endpoint.requestCount()).as("the refused request never arrived").isEqualTo(3);
        }
    }

    @Test
    void latencyHoldsEveryAnswerBack() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().latency(Duration.ofMillis(200))
            .threads(2).start()) {
            long start = System.nanoTime();
            requestToken(endpoint, "");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void aHeldRequestIsAnsweredOnlyWhenReleasedAndIssuesItsTokenThen() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().revokeEarlierTokens().start()) {
            endpoint.holdNextRequest();
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(tokenRequest(endpoint, "").build(),
                    BodyHandlers.ofString());
            awaitHeld(endpoint, 1);
            HttpResponse<String> passing = requestToken(endpoint, "");

            assertThat(passing.body()).contains("\"token-1\"");
            assertThat(held).isNotDone();
            assertThat(endpoint.requestCount()).isEqualTo(2);
            assertThat(endpoint.issuedCount()).isEqualTo(1);

            endpoint.release();
            assertThat(held.get(5, TimeUnit.SECONDS).body()).contains("\"token-2\"");
            assertThat(endpoint.heldRequests()).isZero();
            assertThat(endpoint.status("token-1")).as("issued when answered, so it revokes the earlier one")
                .isEqualTo(TokenStatus.REVOKED);
            assertThat(requestToken(endpoint, "").body()).as("only the next request was held").contains("\"token-3\"");
        }
    }

    @Test
    void closingAnswersHeldRequests() throws Exception {
        LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start();
        endpoint.holdNextRequest();
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(tokenRequest(endpoint, "").build(),
                BodyHandlers.ofString());
        awaitHeld(endpoint, 1);
        endpoint.close();
        assertThat(held.handle((response, error) -> true).get(5, TimeUnit.SECONDS)).as("not left hanging").isTrue();
    }

    private static void awaitHeld(LoopbackTokenEndpoint endpoint, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (endpoint.heldRequests() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(endpoint.heldRequests()).isEqualTo(count);
    }

    private HttpResponse<String> requestToken(LoopbackTokenEndpoint endpoint, String form)
            throws IOException, InterruptedException {
        return http.send(tokenRequest(endpoint, form).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static HttpRequest.Builder tokenRequest(LoopbackTokenEndpoint endpoint, String form) {
        return HttpRequest.newBuilder(endpoint.uri()).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form));
    }

    private HttpResponse<String> callApi(LoopbackTokenEndpoint endpoint, @Nullable String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.apiUri() + "/orders"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }
}
