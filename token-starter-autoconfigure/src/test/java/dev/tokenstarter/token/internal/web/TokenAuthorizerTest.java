package dev.tokenstarter.token.internal.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Issue 24: the adapters put one header value per token on requests (made once, not per request) and find
 * their own header again by that very string, which replaced a request attribute per request.
 */
class TokenAuthorizerTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final TokenAuthorizer authorizer = new TokenAuthorizer(new FixedProvider(),
            TokenDestinations.of(URI.create("https://api.example.com"), List.of()), "Authorization", "Bearer", true);

    private static AccessToken bearer(String value) {
        return AccessToken.of(value, "Bearer", NOW, NOW.plusSeconds(60));
    }

    private String authorized(AccessToken token) {
        HttpHeaders headers = new HttpHeaders();
        authorizer.authorize(headers, token, null);
        return headers.getFirst(HttpHeaders.AUTHORIZATION);
    }

    @Test
    void oneHeaderValuePerTokenIsMadeOnceAndReused() {
        AccessToken token = bearer("token-1");
        String first = authorized(token);
        assertThat(first).isEqualTo("Bearer token-1");
        assertThat(authorized(token)).isSameAs(first);
    }

    @Test
    void onlyTheVeryStringsItPutOnRequestsForTheLastTwoTokensAreItsOwn() {
        String one = authorized(bearer("token-1"));
        String two = authorized(bearer("token-2"));
        assertThat(authorizer.isOwnHeaderValue(two)).isTrue();
        assertThat(authorizer.isOwnHeaderValue(one)).as("the token before: a request re-executed across a refresh")
            .isTrue();
        assertThat(authorizer.isOwnHeaderValue(new String(two))).as("equal text set by an application").isFalse();
        assertThat(authorizer.isOwnHeaderValue(null)).isFalse();
        authorized(bearer("token-3"));
        assertThat(authorizer.isOwnHeaderValue(one)).as("two tokens back").isFalse();
    }

    @Test
    void aHeaderLookupUsesTheLowerCaseName() {
        assertThat(authorizer.headerKey()).isEqualTo("authorization");
        HttpHeaders headers = new HttpHeaders();
        headers.set("Authorization", "Bearer application-token");
        assertThat(authorizer.appliesTo(URI.create("https://api.example.com/orders"), headers, null, null)).isFalse();
        assertThat(authorizer.appliesTo(URI.create("https://api.example.com/orders"), new HttpHeaders(), null, null))
            .isTrue();
    }

    private static final class FixedProvider implements TokenProvider {

        @Override
        public Mono<AccessToken> token() {
            return Mono.just(bearer("token-1"));
        }

        @Override
        public AccessToken getToken() {
            return bearer("token-1");
        }

        @Override
        public void invalidate(AccessToken rejected) {
        }

        @Override
        public TokenState state() {
            return TokenState.INITIAL;
        }
    }

    /**
     * A RestClient request that carries a header of its own and selects a client it cannot have fails, as it does
     * without the header and on WebClient: the selection is judged before the header. (Judged after it, the
     * interceptor sent such a request on, without a word.)
     */
    @Test
    void aRequestWithItsOwnHeaderThatSelectsAnUnknownClientStillFails() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer the-application's-own");
        URI orders = URI.create("https://api.example.com/orders");

        assertThatIllegalArgumentException().isThrownBy(() -> authorizer.appliesAfresh(orders, headers, "no-such-client",
                null)).withMessageContaining("no-such-client");
        assertThat(authorizer.appliesAfresh(orders, headers, null, null)).as("the application's header stays").isFalse();
        assertThat(headers.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer the-application's-own");
    }
}
