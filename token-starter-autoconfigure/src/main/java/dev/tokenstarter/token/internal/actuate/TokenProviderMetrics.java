package dev.tokenstarter.token.internal.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;

/**
 * Per-client state metrics: {@value #EXPIRY}, a gauge of the seconds until the current token expires (0
 * when expired, rejected or not fetched yet); {@value #REJECTED}, a counter of tokens the API rejected
 * (401); and {@value #REJECTED_WITHOUT_REFETCH}, a counter of rejections answered without a new token
 * request because the refetch limit held.
 */
public final class TokenProviderMetrics implements MeterBinder {

    /** Gauge name of the seconds until expiry. */
    public static final String EXPIRY = "api.auth.token.expiry";

    /** Counter name of tokens the API rejected (401). */
    public static final String REJECTED = "api.auth.token.rejected";

    /** Counter name of rejections answered without a new token request. */
    public static final String REJECTED_WITHOUT_REFETCH = "api.auth.token.rejected.without-refetch";

    private final Map<String, TokenProvider> providers;

    private final Clock clock;

    /**
     * @param providers the providers by client name
     * @param clock the clock expiry is measured with
     */
    public TokenProviderMetrics(Map<String, TokenProvider> providers, Clock clock) {
        this.providers = Map.copyOf(providers);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        providers.forEach((client, provider) -> {
            Gauge.builder(EXPIRY, provider, this::secondsUntilExpiry)
                .tag("client", client)
                .baseUnit("seconds")
                .description("Seconds until the current token expires")
                .register(registry);
            FunctionCounter.builder(REJECTED, provider, (p) -> p.state().rejections())
                .tag("client", client)
                .description("Tokens the API rejected (401)")
                .register(registry);
            FunctionCounter.builder(REJECTED_WITHOUT_REFETCH, provider, (p) -> p.state().rejectionsWithoutRefetch())
                .tag("client", client)
                .description("Rejections answered without a new token request, because one was made less than "
                        + "refresh.min-refetch-interval before")
                .register(registry);
        });
    }

    private double secondsUntilExpiry(TokenProvider provider) {
        TokenState state = provider.state();
        AccessToken token = state.token();
        return (token == null || state.tokenRejected()) ? 0
                : Math.max(0, Duration.between(clock.instant(), token.expiresAt()).toMillis() / 1000.0);
    }
}
