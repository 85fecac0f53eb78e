package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenState;

/** The transitions of a provider's {@link TokenState}, which applications only read. */
final class TokenStates {

    private TokenStates() {
    }

    /** After a successful fetch; the token itself is held by the provider and added by {@link #with}. */
    static TokenState succeeded(TokenState state, Instant now) {
        return new TokenState(null, now, state.refreshCount() + 1, 0, null, null, null, state.rejections(), false,
                state.rejectionStreak(), state.rejectionsWithoutRefetch(), state.lastRejectionAt(),
                state.lastRejectionStatus());
    }

    static TokenState failed(TokenState state, Throwable error, Instant nextAttempt) {
        var kind = (error instanceof TokenFetchException fetchError) ? fetchError.kind() : null;
        return new TokenState(state.token(), state.lastRefresh(), state.refreshCount(), state.consecutiveFailures() + 1,
                String.valueOf(error.getMessage()), kind, nextAttempt, state.rejections(), state.tokenRejected(),
                state.rejectionStreak(), state.rejectionsWithoutRefetch(), state.lastRejectionAt(),
                state.lastRejectionStatus());
    }

    static TokenState with(TokenState state, @Nullable AccessToken current, ApiRejections api, boolean rejected) {
        return new TokenState(current, state.lastRefresh(), state.refreshCount(), state.consecutiveFailures(),
                state.lastError(), state.lastFailure(), state.nextAttemptAt(), api.total(), rejected, api.streak(),
                api.withoutRefetch(), api.lastAt(), api.lastStatus());
    }
}
