package dev.tokenstarter.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Listeners are added by client name, so that no application casts a provider to the starter's type (the
 * sample used to test {@code provider instanceof CachingTokenProvider}).
 */
class TokenClientsTest {

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aListenerAddedByClientNameHearsOfThatClientsTokens() {
        CachingTokenProvider orders = provider("orders-1");
        CachingTokenProvider billing = provider("billing-1");
        TokenClients clients = new TokenClients(Set.of("orders", "billing"),
                Map.<String, TokenProvider>of("orders", orders, "billing", billing)::get, clock);
        List<String> fetched = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void onTokenFetched(AccessToken token) {
                fetched.add(token.value());
            }
        };

        clients.addListener("orders", listener);
        orders.getToken();
        billing.getToken();
        assertThat(fetched).containsExactly("orders-1");

        clients.removeListener("orders", listener);
        orders.invalidate(orders.getToken());
        orders.getToken();
        assertThat(fetched).containsExactly("orders-1");
    }

    @Test
    void unknownClientsAndApplicationProvidersAreNamed() {
        TokenProvider own = new TokenProvider() {
            @Override
            public Mono<AccessToken> token() {
                return Mono.empty();
            }

            @Override
            public AccessToken getToken() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void invalidate(AccessToken rejected) {
            }

            @Override
            public TokenState state() {
                return TokenState.INITIAL;
            }
        };
        TokenClients clients = new TokenClients(Set.of("api"), (name) -> own, clock);

        assertThatIllegalArgumentException().isThrownBy(() -> clients.addListener("orders", new TokenListener() {
        })).withMessageContaining("No token client named 'orders'");
        assertThatIllegalStateException().isThrownBy(() -> clients.addListener("api", new TokenListener() {
        })).withMessageContaining("client 'api'").withMessageContaining("takes no listeners");
    }

    private CachingTokenProvider provider(String value) {
        return new CachingTokenProvider((previous) -> Mono.fromSupplier(() -> AccessToken.of(value, "Bearer",
                clock.instant(), clock.instant().plus(Duration.ofHours(1)))), RefreshTiming.DEFAULTS, RetryBackoff.NONE,
                clock, "client");
    }
}
