package dev.tokenstarter.token.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;

/**
 * Reports a client's token freshness: {@code UNKNOWN} before the first token, {@code UP} while the token
 * is valid (even if refreshes are failing, which the details show), {@code DOWN} once it has expired or
 * when no token could be obtained at all. The details never include the token.
 */
public final class TokenHealthIndicator implements HealthIndicator {

    private final TokenProvider provider;

    private final Clock clock;

    public TokenHealthIndicator(TokenProvider provider, Clock clock) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        TokenState state = provider.state();
        Instant now = clock.instant();
        Health.Builder builder;
        if (state.token() == null) {
            builder = (state.consecutiveFailures() > 0) ? Health.down() : Health.unknown();
        }
        else {
            builder = state.hasValidToken(now) ? Health.up() : Health.down();
            builder.withDetail("expiresAt", state.expiresAt().toString())
                .withDetail("expiresInSeconds", Math.max(0, Duration.between(now, state.expiresAt()).toSeconds()));
        }
        if (state.lastRefresh() != null) {
            builder.withDetail("lastRefresh", state.lastRefresh().toString());
        }
        builder.withDetail("refreshCount", state.refreshCount())
            .withDetail("consecutiveFailures", state.consecutiveFailures())
            .withDetail("rejectedByApi", state.rejections());
        if (state.lastError() != null) {
            builder.withDetail("lastError", state.lastError());
        }
        if (state.nextAttemptAt() != null && state.consecutiveFailures() > 0) {
            builder.withDetail("nextAttemptAt", state.nextAttemptAt().toString());
        }
        return builder.build();
    }
}
