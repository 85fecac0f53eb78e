package dev.tokenstarter.token.internal.shared;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.TokenSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link SharedTokens#share}: the one call that builds the provider with the shared source and connects to
 * it. No Redis is needed: nothing here fetches, and a failing subscription is only retried until closed.
 */
class SharedTokensShareTest {

    private static final TokenSource ENDPOINT = (previous) -> Mono.error(new IllegalStateException("not asked"));

    @Test
    void buildsTheProviderWithTheSharedSourceInFrontOfTheEndpoint() {
        try (SharedTokens shared = sharedTokens()) {
            TokenSource[] given = new TokenSource[1];
            CachingTokenProvider provider = shared.share((inFrontOfEndpoint) -> {
                given[0] = inFrontOfEndpoint.apply(ENDPOINT);
                return provider(given[0]);
            });
            assertThat(provider).isNotNull();
            assertThat(given[0]).isInstanceOf(SharedTokenSource.class);
            assertThat(shared.status().degraded()).isFalse();
        }
    }

    @Test
    void sharesOnce() {
        try (SharedTokens shared = sharedTokens()) {
            shared.share((inFrontOfEndpoint) -> provider(inFrontOfEndpoint.apply(ENDPOINT)));
            assertThatIllegalStateException()
                .isThrownBy(() -> shared.share((inFrontOfEndpoint) -> provider(inFrontOfEndpoint.apply(ENDPOINT))))
                .withMessageContaining("client 'api'");
        }
    }

    @Test
    void aProviderWithoutTheSharedSourceIsRefused() {
        try (SharedTokens shared = sharedTokens()) {
            assertThatIllegalStateException().isThrownBy(() -> shared.share((inFrontOfEndpoint) -> provider(ENDPOINT)))
                .withMessageContaining("built without the shared token source");
        }
    }

    private static SharedTokens sharedTokens() {
        return new SharedTokens("api", new LettuceConnectionFactory(), new SharedTokens.Settings("share-test", "identity",
                null, Duration.ofMillis(500), Duration.ofSeconds(10), false), RefreshTiming.DEFAULTS, Clock.systemUTC(),
                Ticker.SYSTEM);
    }

    private static CachingTokenProvider provider(TokenSource source) {
        return new CachingTokenProvider(source, RefreshTiming.DEFAULTS, RetryBackoff.DEFAULTS, Clock.systemUTC(), "api");
    }
}
