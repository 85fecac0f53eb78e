package dev.tokenstarter.token.obo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.RecordedRequest;

import static dev.tokenstarter.token.obo.JwtBearerClient.callWithRestClient;
import static dev.tokenstarter.token.obo.JwtBearerClient.callWithWebClient;
import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An on-behalf-of client with the JWT-bearer grant, as Entra ID's on-behalf-of flow: the incoming token is the
 * {@code assertion}, {@code requested_token_use=on_behalf_of} is sent, and each user's calls carry the token
 * obtained for that user, cached per user. The endpoint refuses a request without the parameter and tells which
 * subject each token was issued for.
 */
class JwtBearerOnBehalfOfTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private final LoopbackTokenEndpoint endpoint = JwtBearerClient.endpoint(clock);

    private final Authentication alice = bearer("incoming-alice", START, START.plus(Duration.ofHours(1)));

    private final Authentication bob = bearer("incoming-bob", START, START.plus(Duration.ofHours(1)));

    @AfterEach
    void close() {
        endpoint.close();
    }

    private void run(Consumer<AssertableApplicationContext> test) {
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
        });
    }

    /** The subject token the token of the API's last request was issued for. */
    private String subjectOfLastApiCall() {
        List<RecordedRequest> calls = endpoint.apiRequests();
        assertThat(calls).isNotEmpty();
        return subjectOf(calls.get(calls.size() - 1));
    }

    private String subjectOf(RecordedRequest apiCall) {
        String authorization = apiCall.header("Authorization");
        assertThat(authorization).startsWith("Bearer ");
        String subject = endpoint.subjectOf(authorization.substring("Bearer ".length()));
        assertThat(subject).as("the subject %s was issued for", authorization).isNotNull();
        return subject;
    }

    @Test
    void eachUsersCallsCarryTheTokenObtainedWithThatUsersIncomingTokenAsAssertion() {
        run((context) -> {
            assertThat(as(alice, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-alice");
            assertThat(endpoint.requests()).singleElement().satisfies((request) -> assertThat(request.formParameters())
                .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .containsEntry("assertion", "incoming-alice")
                .containsEntry("requested_token_use", "on_behalf_of"));

            assertThat(as(bob, () -> callWithWebClient(context, "/orders"))).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-bob");
            assertThat(endpoint.requests()).hasSize(2);
            assertThat(endpoint.requests().get(1).formParameters()).containsEntry("assertion", "incoming-bob")
                .containsEntry("requested_token_use", "on_behalf_of");

            assertThat(as(alice, () -> callWithWebClient(context, "/orders"))).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-alice");
            assertThat(as(bob, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-bob");
            assertThat(endpoint.requests()).as("each user's token is cached for that user").hasSize(2);
            assertThat(endpoint.apiRequests()).hasSize(4);
        });
    }

    /**
     * A WebClient call blocked on by the thread serving the user: its retry after a 401 runs on the event loop
     * that received the 401, whose thread serves no user; it is still made for the user of the call.
     */
    @Test
    void theRetryAfterA401OfABlockedWebClientCallIsMadeForTheSameUser() {
        run((context) -> {
            assertThat(as(alice, () -> callWithWebClient(context, "/orders"))).isEqualTo("[]");
            String first = endpoint.apiRequests().get(0).header("Authorization").substring("Bearer ".length());
            endpoint.revoke(first);

            assertThat(as(alice, () -> callWithWebClient(context, "/orders"))).isEqualTo("[]");

            assertThat(endpoint.apiRequests()).as("the call, its 401 and the retry").hasSize(3);
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-alice");
            assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("assertion"))
                .as("the retry's token obtained for alice again").containsExactly("incoming-alice", "incoming-alice");
        });
    }

    /**
     * The token requests of all subjects go over one HTTP connector, built once for the client: a connector per
     * subject would build its own HTTP client (and, with an SSL bundle, its TLS context) for every user.
     */
    @Test
    void theTokenRequestsOfAllSubjectsShareOneConnector() {
        AtomicInteger builds = new AtomicInteger();
        ClientHttpConnectorBuilder<?> reactor = ClientHttpConnectorBuilder.reactor();
        ClientHttpConnectorBuilder<ClientHttpConnector> counting = (settings) -> {
            builds.incrementAndGet();
            return reactor.build(settings);
        };
        JwtBearerClient.runner(endpoint, clock)
            .withBean(ClientHttpConnectorBuilder.class, () -> counting)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(as(alice, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
                int afterFirstSubject = builds.get();

                for (int i = 0; i < 5; i++) {
                    Authentication user = bearer("incoming-user-" + i, START, START.plus(Duration.ofHours(1)));
                    assertThat(as(user, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
                }

                assertThat(endpoint.requests()).as("a token request per subject").hasSize(6);
                assertThat(builds.get()).as("connectors built for the subjects after the first").isEqualTo(afterFirstSubject);
            });
    }

    @Test
    void theAuthenticationInTheReactorContextIsTheSubjectOfAWebClientCall() {
        run((context) -> {
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);
            String body = webClient.get().uri("/orders").retrieve().bodyToMono(String.class)
                .contextWrite(ReactiveSecurityContextHolder.withAuthentication(bob))
                .block();

            assertThat(body).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-bob");
            assertThat(endpoint.requests()).singleElement().satisfies((request) -> assertThat(request.formParameters())
                .containsEntry("assertion", "incoming-bob"));
        });
    }

    @Test
    void theReactorContextWinsOverTheSubscribingThreadsContext() {
        run((context) -> {
            WebClient webClient = context.getBean("apiWebClient", WebClient.class);
            String body = as(alice, () -> webClient.get().uri("/orders").retrieve().bodyToMono(String.class)
                .contextWrite(ReactiveSecurityContextHolder.withAuthentication(bob))
                .block());

            assertThat(body).isEqualTo("[]");
            assertThat(subjectOfLastApiCall()).isEqualTo("incoming-bob");
            assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("assertion"))
                .containsExactly("incoming-bob");
        });
    }

    @Test
    void theExchangedTokenIsNotUsedPastTheSubjectTokensExpiry() {
        Authentication shortLived = bearer("incoming-short-lived", START, START.plus(Duration.ofSeconds(30)));
        run((context) -> {
            assertThat(as(shortLived, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
            String exchanged = endpoint.apiRequests().get(0).header("Authorization");
            assertThat(endpoint.isValid(exchanged.substring("Bearer ".length()))).isTrue();
            clock.advance(Duration.ofSeconds(31));
            assertThat(endpoint.isValid(exchanged.substring("Bearer ".length())))
                .as("the endpoint's token lives an hour").isTrue();

            for (Runnable call : List.<Runnable>of(() -> callWithRestClient(context, "/orders"),
                    () -> callWithWebClient(context, "/orders"))) {
                assertThat(Subjects.unavailable(() -> as(shortLived, () -> {
                    call.run();
                    return null;
                }))).hasMessageContaining("'api'").hasMessageContaining("incoming token expired");
            }
            assertThat(endpoint.apiRequests()).as("no request carries the exchanged token past the subject's expiry")
                .hasSize(1);
            assertThat(endpoint.requests()).as("an expired subject token is not exchanged").hasSize(1);
        });
    }
}
