package dev.tokenstarter.token.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.Header;
import org.mockserver.model.HttpRequest;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * A DPoP client against a token endpoint and an API that both ask for nonces (MockServer): the
 * {@code use_dpop_nonce} error (400) at the endpoint and the {@code WWW-Authenticate: DPoP
 * error="use_dpop_nonce"} challenge (401) at the API are each answered by one retry with the nonce, the newest
 * nonce per origin is kept, and every request carries its own proof for its method and URI.
 */
class DPoPEndToEndTest {

    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    /** The threads proofs were signed on: every read of the clock from within a proof's creation. */
    private final Set<String> signingThreads = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void scriptTheServers() {
        servers.endpoint().respondOnce(json(400, "{\"error\":\"use_dpop_nonce\",\"error_description\":\"nonce\"}")
            .withHeader(DPoPProofs.NONCE_HEADER, "as-nonce-1"));
        servers.tokens().when(TokenEndpointMock.tokenRequest())
            .respond(json(200, "{\"access_token\":\"dpop-token-1\",\"token_type\":\"DPoP\",\"expires_in\":3600}"));
        TokenEndpointMock.respondFirstOnce(servers.api(), request().withPath("/orders"), response().withStatusCode(401)
            .withHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"nonce required\"")
            .withHeader(DPoPProofs.NONCE_HEADER, "api-nonce-1"));
        servers.api().when(request().withPath("/orders"))
            .respond(response().withStatusCode(200).withHeader(DPoPProofs.NONCE_HEADER, "api-nonce-2").withBody("[]"));
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withBean("apiAuthClock", Clock.class, () -> new SigningThreadClock(clock, signingThreads))
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=" + servers.apiUrl(),
                    "api.auth.refresh.eager=false", "api.auth.dpop.enabled=true");
    }

    @Test
    void webClientCallsGetADPoPBoundTokenAndAnswerBothNonceChallengesSigningOffTheEventLoop() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);

            assertThat(webClient.get().uri("/orders?page=1#top").retrieve().toBodilessEntity().block()
                .getStatusCode().value()).isEqualTo(200);
            assertThat(webClient.post().uri("/orders").bodyValue("{}").retrieve().toBodilessEntity().block()
                .getStatusCode().value()).isEqualTo(200);

            assertTokenRequestsAnsweredTheNonceChallenge();
            assertApiRequestsAnsweredTheNonceChallenge(context.getBean(TokenProvider.class));
            assertThat(signingThreads).isNotEmpty().allSatisfy((thread) -> {
                assertThat(thread).as("signed on a worker").endsWith("|blocking-allowed").doesNotContain("reactor-http");
            });
        });
    }

    @Test
    void restClientCallsGetADPoPBoundTokenAndAnswerBothNonceChallenges() {
        runner().run((context) -> {
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);

            assertThat(restClient.get().uri("/orders?page=1").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);
            assertThat(restClient.post().uri("/orders").body("{}").retrieve().toBodilessEntity().getStatusCode().value())
                .isEqualTo(200);

            assertTokenRequestsAnsweredTheNonceChallenge();
            assertApiRequestsAnsweredTheNonceChallenge(context.getBean(TokenProvider.class));
            assertThat(signingThreads).as("API proofs are signed on the caller's thread")
                .contains(Thread.currentThread().getName() + "|blocking-allowed");
        });
    }

    /** Issue 20, defect 2: a second use_dpop_nonce 401 (the server rotated its nonce) was taken for a rejected token. */
    @Test
    void aNonceChallengeAfterTheNonceRetryIsHandedToTheCallerAndNeverRejectsTheToken() {
        servers.api().reset();
        servers.api().when(request().withPath("/orders")).respond(response().withStatusCode(401)
            .withHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"nonce rotated\"")
            .withHeader(DPoPProofs.NONCE_HEADER, "api-nonce-rotated"));
        runner().run((context) -> {
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);

            Throwable rest = catchThrowable(() -> restClient.get().uri("/orders").retrieve().toBodilessEntity());
            Throwable web = catchThrowable(() -> webClient.get().uri("/orders").retrieve().toBodilessEntity().block());

            assertThat(rest).isInstanceOf(HttpClientErrorException.Unauthorized.class);
            assertThat(web).isInstanceOf(WebClientResponseException.Unauthorized.class);
            assertThat(servers.api().retrieveRecordedRequests(request().withPath("/orders")))
                .as("each call: the request and one retry with the nonce").hasSize(4);
            assertThat(servers.endpoint().requests()).as("token requests: no refetch").hasSize(2);
            assertThat(context.getBean(TokenProvider.class).state().rejections()).as("rejections counted").isZero();
        });
    }

    @Test
    void aBearerTokenFromAnEndpointWithoutDPoPIsSentAsBefore() {
        servers.tokens().reset();
        servers.api().reset();
        servers.api().when(request().withPath("/orders")).respond(response().withStatusCode(200));
        servers.tokens().when(TokenEndpointMock.tokenRequest())
            .respond(json(200, TokenEndpointMock.tokenJson("plain-bearer", 3600)));
        runner().run((context) -> {
            RestClient restClient = context.getBean("apiRestClient", RestClient.class);
            restClient.get().uri("/orders").retrieve().toBodilessEntity();

            HttpRequest[] api = servers.api().retrieveRecordedRequests(request().withPath("/orders"));
            assertThat(api).hasSize(1);
            assertThat(api[0].getFirstHeader("Authorization")).isEqualTo("Bearer plain-bearer");
            assertThat(api[0].containsHeader(DPoPProofs.HEADER)).isFalse();
            assertThat(servers.endpoint().requests()[0].getFirstHeader(DPoPProofs.HEADER)).as("asked for DPoP")
                .isNotEmpty();
        });
    }

    private void assertTokenRequestsAnsweredTheNonceChallenge() {
        HttpRequest[] tokenRequests = servers.endpoint().requests();
        assertThat(tokenRequests).as("the first answered use_dpop_nonce, the retry got the token").hasSize(2);
        JsonNode first = claims(tokenRequests[0]);
        JsonNode retry = claims(tokenRequests[1]);
        for (JsonNode claims : new JsonNode[] { first, retry }) {
            assertThat(claims.path("htm").stringValue()).isEqualTo("POST");
            assertThat(claims.path("htu").stringValue()).isEqualTo(servers.endpoint().uri().toString());
            assertThat(claims.has("ath")).isFalse();
            assertThat(claims.path("iat").longValue()).isEqualTo(clock.instant().getEpochSecond());
        }
        assertThat(first.has("nonce")).isFalse();
        assertThat(retry.path("nonce").stringValue()).isEqualTo("as-nonce-1");
        assertThat(retry.path("jti").stringValue()).isNotEqualTo(first.path("jti").stringValue());
    }

    private void assertApiRequestsAnsweredTheNonceChallenge(TokenProvider provider) {
        HttpRequest[] api = servers.api().retrieveRecordedRequests(request().withPath("/orders"));
        assertThat(api).as("challenged GET, its retry, then a POST").hasSize(3);
        String jkt = null;
        for (HttpRequest sent : api) {
            assertThat(sent.getFirstHeader("Authorization")).isEqualTo("DPoP dpop-token-1");
            JsonNode claims = claims(sent);
            assertThat(claims.path("htm").stringValue()).isEqualTo(sent.getMethod().getValue());
            assertThat(claims.path("htu").stringValue()).as("without query and fragment")
                .isEqualTo(servers.apiUrl() + "/orders");
            assertThat(claims.path("ath").stringValue()).isEqualTo(sha256("dpop-token-1"));
            String key = header(sent).path("jwk").toString();
            assertThat(jkt == null || jkt.equals(key)).as("one key for all").isTrue();
            jkt = key;
        }
        assertThat(claims(api[0]).has("nonce")).as("the API's origin had sent no nonce yet").isFalse();
        assertThat(claims(api[1]).path("nonce").stringValue()).isEqualTo("api-nonce-1");
        assertThat(claims(api[2]).path("nonce").stringValue()).as("the newest, from a 200").isEqualTo("api-nonce-2");
        assertThat(provider.state().rejections()).as("a nonce challenge is no rejection of the token").isZero();
        assertThat(header(servers.endpoint().requests()[0]).path("jwk").toString()).isEqualTo(jkt);
    }

    private static JsonNode claims(HttpRequest request) {
        return part(request, 1);
    }

    private static JsonNode header(HttpRequest request) {
        return part(request, 0);
    }

    private static JsonNode part(HttpRequest request, int index) {
        String proof = request.getFirstHeader(DPoPProofs.HEADER);
        assertThat(proof).as("DPoP header of %s %s", request.getMethod(), request.getPath()).isNotEmpty();
        return JsonMapper.shared().readTree(new String(Base64.getUrlDecoder().decode(proof.split("\\.")[index]),
                StandardCharsets.UTF_8));
    }

    private static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A clock that notes the thread of each read made while a DPoP proof is created. */
    private static final class SigningThreadClock extends Clock {

        private final Clock delegate;

        private final Set<String> threads;

        SigningThreadClock(Clock delegate, Set<String> threads) {
            this.delegate = delegate;
            this.threads = threads;
        }

        @Override
        public long millis() {
            boolean inProof = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk((frames) -> frames.anyMatch((frame) -> frame.getDeclaringClass() == DPoPProofs.class));
            if (inProof) {
                Thread thread = Thread.currentThread();
                threads.add(thread.getName() + "|"
                        + (Schedulers.isNonBlockingThread(thread) ? "non-blocking" : "blocking-allowed"));
            }
            return delegate.millis();
        }

        @Override
        public Instant instant() {
            return delegate.instant();
        }

        @Override
        public ZoneId getZone() {
            return delegate.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
