package dev.tokenstarter.token.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.integration.ClientAndServer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.actuate.TokenProviderMetrics;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * An API that rejects every token, fresh ones too (the wrong audience, say): its 401s must not turn into
 * load on the identity provider, and health must say what is wrong.
 */
class RejectingApiTest {



    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");



    @BeforeEach
    void reset() {
        servers.tokens().when(TokenEndpointMock.tokenRequest()).respond(json(200, TokenEndpointMock.tokenJson("token-wrong-audience", 3600)));
        servers.api().when(request().withPath("/orders")).respond(response().withStatusCode(401));
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withBean("apiAuthClock", Clock.class, () -> clock)
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=http://localhost:" + servers.api().getPort(),
                    "api.auth.refresh.eager=false");
    }

    private static int hundredCalls(AssertableApplicationContext context) {
        WebClient webClient = context.getBean("apiWebClient", WebClient.class);
        RestClient restClient = context.getBean("apiRestClient", RestClient.class);
        int unauthorized = 0;
        for (int i = 0; i < 50; i++) {
            Integer viaWebClient = webClient.get().uri("/orders")
                .exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block();
            Integer viaRestClient = restClient.get().uri("/orders").exchange((request, response) -> response.getStatusCode().value());
            unauthorized += ((viaWebClient == 401) ? 1 : 0) + ((viaRestClient == 401) ? 1 : 0);
        }
        return unauthorized;
    }

    @Test
    void hundredCallsToAnApiRejectingEveryTokenCostAtMostTwoTokenRequests() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            int unauthorized = hundredCalls(context);
            System.out.printf("API rejecting every token, 100 calls within the refetch interval: %d answered 401, "
                    + "%d token requests, %d API requests%n", unauthorized, servers.endpoint().requestCount(),
                    servers.api().retrieveRecordedRequests(request().withPath("/orders")).length);
            assertThat(unauthorized).isEqualTo(100);
            assertThat(servers.endpoint().requestCount()).isLessThanOrEqualTo(2);
        });
    }

    @Test
    void healthIsDownWhileFreshTokensAreRejectedAndUpOnceACallSucceeds() {
        runner().run((context) -> {
            TokenProvider provider = context.getBean(TokenProvider.class);
            TokenHealthIndicator health = new TokenHealthIndicator(provider, clock);
            hundredCalls(context);

            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("consecutiveRejections", 2)
                .containsEntry("tokenRejected", true)
                .containsEntry("expiresInSeconds", 0L)
                .containsKey("lastRejection")
                .containsEntry("rejectionsWithoutRefetch", 100L);
            assertThat(down.getDetails().get("reason").toString()).contains("freshly fetched ones too");

            // after the interval, one more token request; then the API is fixed
            clock.advance(Duration.ofSeconds(10));
            servers.api().reset();
            servers.api().when(request().withPath("/orders")).respond(json(200, "[]"));
            assertThat(context.getBean("apiRestClient", RestClient.class).get().uri("/orders").retrieve().body(String.class))
                .isEqualTo("[]");
            assertThat(context.getBean("apiWebClient", WebClient.class).get().uri("/orders").retrieve().bodyToMono(String.class)
                .block()).isEqualTo("[]");

            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("consecutiveRejections", 0).doesNotContainKey("tokenRejected");
            assertThat(servers.endpoint().requestCount()).isEqualTo(2);
        });
    }

    @Test
    void anInvalidatedTokenIsNoLongerReportedAsValid() {
        servers.api().reset();
        servers.api().when(request().withPath("/orders")).respond(json(200, "[]"));
        runner().run((context) -> {
            TokenProvider provider = context.getBean(TokenProvider.class);
            context.getBean("apiRestClient", RestClient.class).get().uri("/orders").retrieve().toBodilessEntity();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new TokenProviderMetrics(java.util.Map.of("api", provider), clock).bindTo(meters);
            assertThat(meters.get(TokenProviderMetrics.EXPIRY).gauge().value()).isEqualTo(3600.0);

            provider.invalidate(provider.state().token());

            assertThat(provider.state().hasValidToken(clock.instant())).isFalse();
            assertThat(meters.get(TokenProviderMetrics.EXPIRY).gauge().value()).isZero();
            Health health = new TokenHealthIndicator(provider, clock).health();
            assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
            assertThat(health.getDetails()).containsEntry("tokenRejected", true).containsEntry("expiresInSeconds", 0L);
        });
    }
}
