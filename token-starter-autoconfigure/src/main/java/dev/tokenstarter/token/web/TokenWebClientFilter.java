package dev.tokenstarter.token.web;

import org.jspecify.annotations.Nullable;

import java.util.Map;
import java.util.Objects;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.RedirectPolicy;

/**
 * Adds the token to WebClient requests in scope, refreshes and retries once on 401, and follows redirects
 * without carrying the token off its origin. Never blocks: the token comes from
 * {@link dev.tokenstarter.token.TokenProvider#token()}, and a DPoP proof is signed on a bounded worker pool,
 * the exchange resuming there once it is ready.
 * <p>
 * A request that selects a client ({@link TokenClients#client(String)}) gets this client's token only if it
 * selects this client; this filter leaves a request that selects another client to that client's filter on
 * the same WebClient. The {@link #dedicated()} filter of a WebClient with no other client's filter fails
 * such a request instead.
 */
public final class TokenWebClientFilter implements ExchangeFilterFunction {

    /** The kind of HTTP client this filter is for, in messages about a client dedicated to one token client. */
    private static final String KIND = "WebClient";

    private final TokenAuthorizer authorizer;

    /** {@value #KIND} if this filter's WebClient carries no other client's filter, else {@code null}. */
    private final @Nullable String dedicatedKind;

    /**
     * Made by the auto-configuration, which registers one per client as a bean.
     *
     * @param authorizer decides, per request, whether and how the client's token goes on it
     */
    public TokenWebClientFilter(TokenAuthorizer authorizer) {
        this(authorizer, null);
    }

    private TokenWebClientFilter(TokenAuthorizer authorizer, @Nullable String dedicatedKind) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.dedicatedKind = dedicatedKind;
    }

    /**
     * {@return this filter for a WebClient dedicated to its client} (the preconfigured {@code <name>WebClient}, an
     * HTTP service group's client), where a request that selects another client fails instead of being left to
     * that client's filter
     */
    public TokenWebClientFilter dedicated() {
        return (dedicatedKind != null) ? this : new TokenWebClientFilter(authorizer, KIND);
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        // called when the exchange is subscribed, on the subscribing thread: an on-behalf-of client's retries
        // and redirect hops, on an event loop later, act for that thread's user
        return authorizer.forCallingThread(send(request, next, false, false, 0));
    }

    private Mono<ClientResponse> send(ClientRequest request, ExchangeFunction next, boolean retried,
            boolean nonceRetried, int hops) {
        boolean applies;
        try {
            applies = authorizer.appliesTo(request.url(), request.headers(), selected(request), dedicatedKind)
                    && authorizer.carriesTokenOn(hops);
        }
        catch (IllegalArgumentException | IllegalStateException ex) { // a request selecting a client it cannot have
            return Mono.error(ex);
        }
        if (!applies) {
            // without the token only a redirect may re-send the body: no need to watch it when none is followed
            BodyProbe probe = authorizer.followsRedirects() ? BodyProbe.of(request) : BodyProbe.NONE;
            return next.exchange(probe.watch(request))
                .flatMap((response) -> followRedirect(request, response, next, retried, hops, probe));
        }
        // WebClient calls its filters once per subscription (its exchange is deferred), so a re-subscribed
        // exchange reads the token of that moment without a Mono.defer of its own here.
        AccessToken cached = authorizer.cachedToken();
        return (cached != null) ? sendWithToken(request, next, cached, retried, nonceRetried, hops)
                : authorizer.token().flatMap((token) -> sendWithToken(request, next, token, retried, nonceRetried, hops));
    }

    private Mono<ClientResponse> sendWithToken(ClientRequest request, ExchangeFunction next, AccessToken token,
            boolean retried, boolean nonceRetried, int hops) {
        if (authorizer.needsProof(token)) {
            // the signature runs on a worker, never on the event loop this may be subscribed on
            return authorizer.proof(request.method(), request.url(), token)
                .flatMap((proof) -> exchange(request, next, token, proof, retried, nonceRetried, hops));
        }
        return exchange(request, next, token, null, retried, nonceRetried, hops);
    }

    private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, AccessToken token,
            @Nullable String proof, boolean retried, boolean nonceRetried, int hops) {
        BodyProbe probe = BodyProbe.of(request);
        return next.exchange(probe.watch(withToken(request, token, proof))).flatMap((response) -> {
            TokenAuthorizer.Answer answer = authorizer.answered(token, request.url(), response.statusCode().value(),
                    response.headers().asHttpHeaders(), retried, nonceRetried);
            if (answer != TokenAuthorizer.Answer.DONE) {
                if (!probe.replayable()) {
                    return Mono.just(response); // the body is gone: the caller decides, the next call gets a new token
                }
                boolean newToken = answer == TokenAuthorizer.Answer.NEW_TOKEN;
                return response.releaseBody()
                    .then(Mono.defer(() -> send(request, next, retried || newToken, nonceRetried || !newToken, hops)));
            }
            return followRedirect(request, response, next, retried, hops, probe);
        });
    }

    private Mono<ClientResponse> followRedirect(ClientRequest request, ClientResponse response, ExchangeFunction next,
            boolean retried, int hops, BodyProbe probe) {
        RedirectPolicy.Redirect redirect = authorizer.redirect(request.method(), request.url(),
                response.statusCode().value(), response.headers().asHttpHeaders(), hops);
        if (redirect == null || (redirect.keepBody() && !probe.replayable())) {
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
        return response.releaseBody().then(Mono.defer(() -> send(hop.build(), next, retried, false, hops + 1)));
    }

    /** The client the request selects, or {@code null}: without attributes not even a look-up. */
    private static @Nullable Object selected(ClientRequest request) {
        Map<String, Object> attributes = request.attributes();
        return attributes.isEmpty() ? null : attributes.get(TokenClients.CLIENT_ATTRIBUTE);
    }

    private ClientRequest withToken(ClientRequest request, AccessToken token, @Nullable String proof) {
        return ClientRequest.from(request).headers((headers) -> authorizer.authorize(headers, token, proof)).build();
    }

    /**
     * Finds out while a request is written whether its body could be sent again. A body written as one
     * encoded value (what {@code bodyValue} and form data produce) is written anew from the value; a
     * streamed body ({@code Flux<DataBuffer>}, an {@code InputStreamResource}, a file) may be single-use,
     * so a request that carried one is never re-sent.
     */
    private static class BodyProbe {

        /** A request without body: always replayable, nothing to watch. */
        private static final BodyProbe NONE = new BodyProbe();

        private volatile boolean streamed;

        static BodyProbe of(ClientRequest request) {
            return (request.body() == BodyInserters.empty()) ? NONE : new BodyProbe();
        }

        boolean replayable() {
            return !streamed;
        }

        ClientRequest watch(ClientRequest request) {
            if (this == NONE) {
                return request;
            }
            BodyInserter<?, ? super ClientHttpRequest> body = request.body();
            return ClientRequest.from(request).body((message, context) -> body.insert(new ClientHttpRequestDecorator(message) {

                @Override
                public Mono<Void> writeWith(Publisher<? extends DataBuffer> publisher) {
                    if (!(publisher instanceof Mono)) {
                        streamed = true;
                    }
                    return super.writeWith(publisher);
                }

                @Override
                public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> publisher) {
                    streamed = true;
                    return super.writeAndFlushWith(publisher);
                }
            }, context)).build();
        }
    }

    @Override
    public String toString() {
        return "TokenWebClientFilter[" + authorizer + ((dedicatedKind != null) ? ", dedicated" : "") + "]";
    }
}
