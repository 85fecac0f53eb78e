package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;

/**
 * What a scheduler needs of a caching provider to keep its token fresh ahead of expiry; applications use
 * {@link TokenProvider}. {@link CachingTokenProvider} implements it itself.
 */
public interface Refreshable extends TokenEvents {

    /**
     * Starts a fetch unless one is in flight or the backoff holds it back, whatever the current token's
     * freshness.
     * @return the fetch in flight
     */
    CompletableFuture<AccessToken> refresh();

    /**
     * As {@link #refresh()}, but only while {@code planned}, the token the caller found due, is still the
     * current one: a token adopted meanwhile (another instance's, say) is refreshed only when it is due itself.
     * @param planned the token the refresh was planned for
     * @return the fetch in flight, or the current token when it replaced {@code planned} and is not due
     */
    CompletableFuture<AccessToken> refresh(AccessToken planned);

    /**
     * The instant from which the current token should be refreshed.
     * @return that instant, or {@code null} without a token
     */
    @Nullable Instant refreshAt();

    /**
     * How long the backoff still holds the next attempt back.
     * @return the time left; {@link Duration#ZERO} when not backing off
     */
    Duration backoffRemaining();

    /**
     * The provider's state.
     * @return the state, never {@code null}
     */
    TokenState state();

    /**
     * The clock expiry is judged by.
     * @return the clock
     */
    Clock clock();

    /**
     * How long a caller waits for a token being fetched.
     * @return the wait timeout
     */
    Duration waitTimeout();

    /**
     * Names the provider (client and endpoint) in messages.
     * @return the description
     */
    String description();


}
