package dev.tokenstarter.token.web;

import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import dev.tokenstarter.token.AccessToken;

/**
 * Adds the token to WebClient requests in scope, refreshes and retries once on 401, and follows redirects
 * without carrying the token off its origin. Never blocks: the token comes from
 * {@link dev.tokenstarter.token.TokenProvider#token()}.
 */
public final class BearerTokenExchangeFilter implements ExchangeFilterFunction {

    private final BearerTokenAuthorizer authorizer;

    public BearerTokenExchangeFilter(BearerTokenAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return send(request, next, false, 0);
    }

    private Mono<ClientResponse> send(ClientRequest request, ExchangeFunction next, boolean retried, int hops) {
        if (!authorizer.appliesTo(request.url(), request.headers())) {
            return next.exchange(request).flatMap((response) -> followRedirect(request, response, next, retried, hops));
        }
        // Decided per subscription: a re-subscribed exchange reads the token of that moment.
        return Mono.defer(() -> {
            AccessToken cached = authorizer.provider().cachedToken();
            return (cached != null) ? sendWithToken(request, next, cached, retried, hops) : authorizer.provider()
                .token()
                .flatMap((token) -> sendWithToken(request, next, token, retried, hops));
        });
    }

    private Mono<ClientResponse> sendWithToken(ClientRequest request, ExchangeFunction next, AccessToken token,
            boolean retried, int hops) {
        return next.exchange(withToken(request, token)).flatMap((response) -> {
            if (!retried && authorizer.isRejection(response.statusCode().value())) {
                authorizer.provider().invalidate(token);
                return response.releaseBody().then(Mono.defer(() -> send(request, next, true, hops)));
            }
            return followRedirect(request, response, next, retried, hops);
        });
    }

    private Mono<ClientResponse> followRedirect(ClientRequest request, ClientResponse response, ExchangeFunction next,
            boolean retried, int hops) {
        BearerTokenAuthorizer.Redirect redirect = authorizer.redirect(request.method(), request.url(),
                response.statusCode().value(), response.headers().asHttpHeaders(), hops);
        if (redirect == null) {
            return Mono.just(response);
        }
        // the request as given, before the token went onto a copy of it
        HttpHeaders headers = authorizer.headersFor(redirect, request.headers(), false);
        ClientRequest.Builder hop = ClientRequest.from(request).method(redirect.method()).url(redirect.uri())
            .headers((target) -> {
                target.clear();
                target.putAll(headers);
            });
        if (!redirect.keepBody()) {
            hop.body(BodyInserters.empty());
        }
        if (redirect.crossOrigin()) {
            hop.cookies(MultiValueMap::clear);
        }
        return response.releaseBody().then(Mono.defer(() -> send(hop.build(), next, retried, hops + 1)));
    }

    private ClientRequest withToken(ClientRequest request, AccessToken token) {
        return ClientRequest.from(request).headers((headers) -> authorizer.authorize(headers, token)).build();
    }

    @Override
    public String toString() {
        return "BearerTokenExchangeFilter[" + authorizer + "]";
    }
}
