package dev.tokenstarter.token.web;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.TokenDestinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.method;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * The RestClient interceptor's retry after a 401 takes off the header it put on the request itself, whatever
 * other threads put on their requests meanwhile. Regression: the retry relied on recognising its own header
 * value among the authorizer's last two; when other callers' header values replaced them while the first
 * request was out (two threads making the value of one new token at once, or tokens changing twice), the
 * retry took the stale header for an application's own, sent it again without a token decision, and the
 * caller got the 401 (one call in 10,809 of SharedTokensFleetTest in CI).
 */
class RestClientRetryHeaderTest {

    private static final Instant NOW = Instant.now();

    private final SwitchingProvider provider = new SwitchingProvider();

    private final TokenAuthorizer authorizer = new TokenAuthorizer(provider,
            TokenDestinations.of(URI.create("https://api.example.com"), List.of()), "Authorization", "Bearer", true);

    private static AccessToken bearer(String value) {
        return AccessToken.of(value, "Bearer", NOW, NOW.plusSeconds(60));
    }

    @Test
    void theRetryCarriesTheNewTokenAfterOtherCallersHeaderValuesReplacedTheFirstOnes() {
        RestClient.Builder builder = RestClient.builder().requestInterceptor(new TokenRestClientInterceptor(authorizer));
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        List<String> sent = new ArrayList<>();
        server.expect(requestTo("https://api.example.com/orders")).andExpect(method(HttpMethod.GET)).andRespond((request) -> {
            sent.add(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            // while this request is out, other callers put their tokens on their requests
            authorizer.authorize(new HttpHeaders(), bearer("other-caller-1"), null);
            authorizer.authorize(new HttpHeaders(), bearer("other-caller-2"), null);
            return withStatus(HttpStatus.UNAUTHORIZED).createResponse(request);
        });
        server.expect(requestTo("https://api.example.com/orders")).andRespond((request) -> {
            sent.add(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            return withSuccess().createResponse(request);
        });

        var response = builder.build().get().uri("https://api.example.com/orders").retrieve().toBodilessEntity();

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(sent).containsExactly("Bearer first", "Bearer second");
        server.verify();
    }

    /** Hands out {@code first} until it is invalidated, then {@code second}. */
    private static final class SwitchingProvider implements TokenProvider {

        private final AtomicReference<AccessToken> current = new AtomicReference<>(bearer("first"));

        @Override
        public Mono<AccessToken> token() {
            return Mono.fromSupplier(current::get);
        }

        @Override
        public AccessToken getToken() {
            return current.get();
        }

        @Override
        public void invalidate(AccessToken rejected) {
            current.compareAndSet(rejected, bearer("second"));
        }

        @Override
        public TokenState state() {
            return TokenState.INITIAL;
        }
    }
}
