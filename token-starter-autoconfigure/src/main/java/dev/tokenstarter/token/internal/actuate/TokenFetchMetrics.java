package dev.tokenstarter.token.internal.actuate;

import java.util.Objects;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserverFactory;

/**
 * Observes token requests: an observation {@value #FETCH} per request (a timer with Micrometer's default
 * handler, and a span when tracing is on), tagged {@code client}, {@code grant} and {@code outcome}
 * (success, client_error, server_error, timeout, connection_error, parse_error); and a counter
 * {@value #FALLBACK} of refresh tokens the endpoint rejected, so that the full grant was used.
 */
public final class TokenFetchMetrics implements TokenFetchObserverFactory {

    /** Observation (and timer) name of a token request. */
    public static final String FETCH = "api.auth.token.fetch";

    /** Counter name of refresh_token → full grant fallbacks. */
    public static final String FALLBACK = "api.auth.token.refresh.fallback";

    private final ObservationRegistry observations;

    private final MeterRegistry meters;

    public TokenFetchMetrics(ObservationRegistry observations, MeterRegistry meters) {
        this.observations = Objects.requireNonNull(observations, "observations");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public TokenFetchObserver forClient(String client) {
        Counter fallbacks = Counter.builder(FALLBACK)
            .tag("client", client)
            .description("Refresh tokens rejected by the token endpoint, so the full grant was requested")
            .register(meters);
        return new TokenFetchObserver() {

            @Override
            public Mono<AccessToken> observe(GrantType grantType, Mono<AccessToken> request) {
                return Mono.defer(() -> {
                    Observation observation = Observation.createNotStarted(FETCH, observations)
                        .contextualName("token fetch")
                        .lowCardinalityKeyValues(KeyValues.of("client", client, "grant", grantType.tag()))
                        .start();
                    // stopped before the result travels on, so a caller that has its token sees it counted
                    return request.doOnSuccess((token) -> observation.lowCardinalityKeyValue("outcome", "success").stop())
                        .doOnError((error) -> observation.lowCardinalityKeyValue("outcome", outcome(error))
                            .error(error)
                            .stop())
                        .doOnCancel(() -> observation.lowCardinalityKeyValue("outcome", "cancelled").stop());
                });
            }

            @Override
            public void refreshTokenRejected() {
                fallbacks.increment();
            }
        };
    }

    static String outcome(Throwable error) {
        return (error instanceof TokenFetchException fetch) ? fetch.kind().tag() : "connection_error";
    }
}
