package dev.tokenstarter.token.internal.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.internal.obo.PerCallerTokens;
import dev.tokenstarter.token.internal.shared.SharedTokenStatus;

/**
 * Reports a client's token freshness: {@code UNKNOWN} before the first token (and after the API rejected the
 * token, until the next call fetches one), {@code UP} while the token is valid (even if refreshes are
 * failing, which the details show), {@code DOWN} once it has expired, when no token could be obtained at
 * all, when the API rejected a freshly fetched token too (a misconfiguration such as the wrong audience:
 * down until a call with a token succeeds), or, with a shared token, while the only token is one the fleet
 * marked rejected. The details never include the token.
 */
public final class TokenHealthIndicator implements HealthIndicator {

    private final TokenProvider provider;

    private final Clock clock;

    private final @Nullable SharedTokenStatus shared;

    public TokenHealthIndicator(TokenProvider provider, Clock clock) {
        this(provider, clock, null);
    }

    /**
     * @param shared the client's shared token status, or {@code null} when it does not share its token: then
     * the details say whether sharing works ({@code shared}: {@code active} or {@code degraded}, with the
     * reason) and whether the current token was fetched by this instance or came from the fleet
     */
    public TokenHealthIndicator(TokenProvider provider, Clock clock, @Nullable SharedTokenStatus shared) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shared = shared;
    }

    @Override
    public Health health() {
        TokenState state = provider.state();
        if (provider instanceof PerCallerTokens perCaller) {
            return perCaller(perCaller, state);
        }
        Instant now = clock.instant();
        Health.Builder builder;
        if (shared != null && state.token() != null && shared.markedRejected(state.token().value())) {
            builder = Health.down().withDetail("reason", "the API rejected this instance's only token and the fleet "
                    + "marked it rejected; no replacement has been obtained yet");
        }
        else if (state.rejectionStreak() >= 2) {
            builder = Health.down().withDetail("reason", "the API rejected " + state.rejectionStreak()
                    + " tokens in a row, freshly fetched ones too: check the scope, audience or client the API expects");
        }
        else if (state.token() == null || state.tokenRejected()) {
            builder = (state.consecutiveFailures() > 0) ? Health.down() : Health.unknown();
        }
        else {
            builder = state.hasValidToken(now) ? Health.up() : Health.down();
        }
        AccessToken token = state.token();
        if (token != null) {
            boolean usable = state.hasValidToken(now);
            builder.withDetail("expiresAt", token.expiresAt().toString())
                .withDetail("expiresInSeconds", usable ? Math.max(0, Duration.between(now, token.expiresAt()).toSeconds()) : 0);
            if (state.tokenRejected()) {
                builder.withDetail("tokenRejected", true);
            }
        }
        if (state.lastRefresh() != null) {
            builder.withDetail("lastRefresh", state.lastRefresh().toString());
        }
        builder.withDetail("refreshCount", state.refreshCount())
            .withDetail("consecutiveFailures", state.consecutiveFailures())
            .withDetail("rejectedByApi", state.rejections());
        if (state.lastRejectionAt() != null) {
            builder.withDetail("consecutiveRejections", state.rejectionStreak())
                .withDetail("lastRejection", Map.of("at", state.lastRejectionAt().toString(), "status", state.lastRejectionStatus()))
                .withDetail("rejectionsWithoutRefetch", state.rejectionsWithoutRefetch());
        }
        if (state.lastError() != null) {
            builder.withDetail("lastError", state.lastError());
        }
        if (state.nextAttemptAt() != null && state.consecutiveFailures() > 0) {
            builder.withDetail("nextAttemptAt", state.nextAttemptAt().toString());
        }
        if (shared != null) {
            builder.withDetail("shared", shared.degraded() ? "degraded" : "active");
            String reason = shared.degradedReason();
            if (reason != null) {
                builder.withDetail("sharedDegradedReason", reason);
            }
            if (state.token() != null) {
                builder.withDetail("tokenFrom", shared.fetchedHere(state.token().value()) ? "this instance" : "fleet");
            }
        }
        return builder.build();
    }

    /**
     * An on-behalf-of client has a token per caller, none of its own: {@code UP} once its last token request
     * succeeded, {@code DOWN} while it fails, {@code UNKNOWN} before the first (and always for relay).
     */
    private static Health perCaller(PerCallerTokens provider, TokenState state) {
        Health.Builder builder = (state.consecutiveFailures() > 0) ? Health.down()
                : (state.lastRefresh() != null) ? Health.up() : Health.unknown();
        builder.withDetail("onBehalfOf", provider.mode());
        if (!"relay".equals(provider.mode())) {
            builder.withDetail("subjects", provider.subjects()).withDetail("exchanges", state.refreshCount())
                .withDetail("consecutiveFailures", state.consecutiveFailures());
        }
        if (state.lastRefresh() != null) {
            builder.withDetail("lastExchange", state.lastRefresh().toString());
        }
        if (state.lastError() != null) {
            builder.withDetail("lastError", state.lastError());
        }
        return builder.build();
    }
}
