package dev.tokenstarter.token.internal.actuate;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.Delay;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockserver.model.Parameter.param;
import static org.mockserver.model.ParameterBody.params;

/**
 * Meter values after a known sequence of token requests against a real endpoint.
 */
class TokenFetchMetricsTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    @Test
    void eachRequestIsTimedWithItsOutcome() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
        TokenEndpointClient client = new TokenEndpointClient(TokenEndpointConfigs.builder(endpoint.uri()).clientId("c")
            .clientSecret("secret-123456").readTimeout(Duration.ofMillis(300)).build(), clock,
                new TokenFetchMetrics(observations, meters).forClient("orders"));

        endpoint.issueOnce("token-one-abcdef", 60);
        endpoint.issueOnce("token-two-abcdef", 60);
        endpoint.respondOnce(json(500, "{}"));
        endpoint.respondOnce(json(401, "{\"error\":\"invalid_client\"}"));
        endpoint.respondOnce(json(200, "{\"no_token\":true}"));
        endpoint.respondOnce(json(200, tokenJson("token-late-abcdef", 60)).withDelay(Delay.seconds(1)));
        for (int i = 0; i < 6; i++) {
            catchThrowable(() -> client.fetch(null).block());
        }
        endpoint.respondOnce(TokenEndpointMock.tokenRequest().withBody(params(param("grant_type", "refresh_token"))),
                json(400, "{\"error\":\"invalid_grant\"}"));
        endpoint.respondOnce(TokenEndpointMock.tokenRequest().withBody(params(param("grant_type", "client_credentials"))),
                json(200, tokenJson("token-full-abcdef", 60)));
        AccessToken withRefresh = new AccessToken("token-old-abcdef", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), "rt-123456789", null, null);
        client.fetch(withRefresh).block();

        assertThat(count(meters, "client_credentials", "success")).isEqualTo(3);
        assertThat(count(meters, "client_credentials", "server_error")).isEqualTo(1);
        assertThat(count(meters, "client_credentials", "client_error")).isEqualTo(1);
        assertThat(count(meters, "client_credentials", "parse_error")).isEqualTo(1);
        assertThat(count(meters, "client_credentials", "timeout")).isEqualTo(1);
        assertThat(count(meters, "refresh_token", "client_error")).isEqualTo(1);
        assertThat(meters.get(TokenFetchMetrics.FALLBACK).tag("client", "orders").counter().count()).isEqualTo(1);
    }

    private static long count(MeterRegistry meters, String grant, String outcome) {
        return meters.get(TokenFetchMetrics.FETCH).tag("client", "orders").tag("grant", grant).tag("outcome", outcome)
            .timer().count();
    }
}
