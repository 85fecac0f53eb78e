package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.Set;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.MalformedTokenResponseException;
import dev.tokenstarter.token.endpoint.OAuthErrorException;

/**
 * A {@link TokenSource} that calls an OAuth 2.0 token endpoint over its own {@link WebClient}, independent
 * of any WebClient the application uses (none of its filters see the secrets). The HTTP connector comes
 * from Spring Boot through a {@link TokenEndpointTransport} (SSL bundle, proxy), with the endpoint's own
 * timeouts and without following redirects.
 * <p>
 * When the previous token carries a refresh token, the {@code refresh_token} grant is tried first; if the
 * endpoint rejects it ({@code invalid_grant}, 400 or 401), the configured grant is requested in the same
 * attempt. A refresh token the endpoint does not rotate is kept.
 * <p>
 * With {@link DPoPProofs}, every request carries a proof (signed on a worker, never on the event loop), a
 * {@code DPoP} token type is accepted, and a {@code use_dpop_nonce} error is answered by one more request
 * with the nonce the endpoint sent.
 */
public final class TokenEndpointClient implements TokenSource {

    private final TokenEndpointConfig config;

    private final Clock clock;

    private final TokenResponseParser parser;

    private final TokenFetchObserver observer;

    private final WebClient webClient;

    private final @Nullable DPoPProofs dpop;

    /** A client over the connector Spring Boot detects, trusting what the JVM trusts (see {@link TokenEndpointTransport#detect()}). */
    public TokenEndpointClient(TokenEndpointConfig config, Clock clock, TokenFetchObserver observer) {
        this(config, clock, observer, TokenEndpointTransport.detect());
    }

    /**
     * @param config the endpoint and request
     * @param clock when a token counts as issued
     * @param observer told about each request
     * @param transport the HTTP connector and the settings it is built with (SSL bundle, address filter)
     */
    public TokenEndpointClient(TokenEndpointConfig config, Clock clock, TokenFetchObserver observer,
            TokenEndpointTransport transport) {
        this(config, clock, observer, transport, null);
    }

    /**
     * @param config the endpoint and request
     * @param clock when a token counts as issued
     * @param observer told about each request
     * @param transport the HTTP connector and the settings it is built with (SSL bundle, address filter)
     * @param dpop the client's DPoP proofs, or {@code null} for requests without
     */
    public TokenEndpointClient(TokenEndpointConfig config, Clock clock, TokenFetchObserver observer,
            TokenEndpointTransport transport, @Nullable DPoPProofs dpop) {
        this(config, clock, observer, webClient(transport, config.limits()), dpop);
    }

    private TokenEndpointClient(TokenEndpointConfig config, Clock clock, TokenFetchObserver observer,
            WebClient webClient, @Nullable DPoPProofs dpop) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parser = new TokenResponseParser(config.responseFormat(), (dpop != null) ? DPoPProofs.TOKEN_TYPE : null);
        this.observer = Objects.requireNonNull(observer, "observer");
        this.webClient = webClient;
        this.dpop = dpop;
    }

    /**
     * Makes the clients of configurations with {@code limits} over one HTTP connector, built now: those of an
     * on-behalf-of client, one per subject, which differ only in their credentials. A connector per subject
     * would build an HTTP client (and, with an SSL bundle, a TLS context) for every user.
     * @param limits the timeouts the connector is built with; each configuration must have these
     * @param clock when a token counts as issued
     * @param observer told about each request
     * @param transport the HTTP connector and the settings it is built with (SSL bundle, address filter)
     * @param dpop the client's DPoP proofs, or {@code null} for requests without
     * @return a function from a configuration to its client
     */
    public static Function<TokenEndpointConfig, TokenEndpointClient> overOneConnector(TokenEndpointConfig.Limits limits,
            Clock clock, TokenFetchObserver observer, TokenEndpointTransport transport, @Nullable DPoPProofs dpop) {
        WebClient webClient = webClient(transport, limits);
        return (config) -> {
            if (!config.limits().equals(limits)) {
                throw new IllegalArgumentException("The connector was built with " + limits + ", not " + config.limits());
            }
            return new TokenEndpointClient(config, clock, observer, webClient, dpop);
        };
    }

    private static WebClient webClient(TokenEndpointTransport transport, TokenEndpointConfig.Limits limits) {
        return WebClient.builder().clientConnector(transport.connector(limits)).build();
    }

    @Override
    public Mono<AccessToken> fetch(@Nullable AccessToken previous) {
        String held = (previous != null) ? previous.refreshToken() : null;
        if (config.credentials().grantType() == GrantType.REFRESH_TOKEN) {
            String refreshToken = (held != null) ? held : config.credentials().refreshToken();
            return request(GrantType.REFRESH_TOKEN, refreshToken);
        }
        if (held == null) {
            return request(config.credentials().grantType(), null);
        }
        return request(GrantType.REFRESH_TOKEN, held).onErrorResume(TokenEndpointClient::isRejectedRefresh, (ex) -> {
            observer.refreshTokenRejected();
            return request(config.credentials().grantType(), null);
        });
    }

    private static boolean isRejectedRefresh(Throwable error) {
        if (error instanceof OAuthErrorException oauth && "invalid_grant".equals(oauth.errorCode())) {
            return true;
        }
        return error instanceof TokenFetchException fetch && (fetch.status() == 400 || fetch.status() == 401);
    }

    private Mono<AccessToken> request(GrantType grant, @Nullable String refreshToken) {
        Mono<AccessToken> request = sendWithProof(grant, refreshToken, false)
            // Total bound, so a slow-dripping body cannot hold a caller past connect + read timeouts.
            .timeout(config.limits().connectTimeout().plus(config.limits().readTimeout()))
            .onErrorMap((ex) -> !(ex instanceof TokenFetchException),
                    (ex) -> TransportFailures.translate(ex, config.tokenUri(), config.limits()))
            .map((token) -> (token.hasRefreshToken() || refreshToken == null) ? token : token.withRefreshToken(refreshToken));
        return observer.observe(grant, request);
    }

    /**
     * Builds the request and sends it, with a DPoP proof when the client has a key. A {@code use_dpop_nonce}
     * answer gets one retry with a newly built request, so that a client assertion is never sent twice.
     */
    private Mono<AccessToken> sendWithProof(GrantType grant, @Nullable String refreshToken, boolean nonceRetried) {
        Mono<AccessToken> sent = prepare(grant, refreshToken).flatMap((request) -> (dpop == null) ? send(request, null)
                // htu is the endpoint without the query a GET request carries its parameters in
                : dpop.proof(config.request().method().name(), config.tokenUri(), null)
                    .flatMap((proof) -> send(request, proof)));
        return (dpop == null || nonceRetried) ? sent : sent.onErrorResume(TokenEndpointClient::isNonceError,
                (ex) -> sendWithProof(grant, refreshToken, true)); // read() remembered the nonce the error came with
    }

    private static boolean isNonceError(Throwable error) {
        return error instanceof OAuthErrorException oauth && DPoPProofs.USE_NONCE_ERROR.equals(oauth.errorCode());
    }

    /**
     * The request, built when subscribed. Building one may sign a client assertion, which is CPU work
     * for a millisecond, or read a credential from a file or a bean: on a non-blocking thread (a Netty
     * event loop, Reactor's parallel scheduler) that is handed to a worker, elsewhere (the caller's or the
     * refresher's thread) done in place. A request that cannot be built fails like a rejected one.
     */
    private Mono<TokenRequest> prepare(GrantType grant, @Nullable String refreshToken) {
        return Mono.defer(() -> {
            Mono<TokenRequest> request = Mono.fromCallable(() -> TokenRequest.of(config, grant, refreshToken))
                .onErrorMap((ex) -> new TokenFetchException(FailureKind.CLIENT_ERROR, config.tokenUri(), 0,
                        "the token request could not be built: " + ex.getMessage(), null));
            return (config.credentials().buildsSlowly() && Schedulers.isInNonBlockingThread())
                    ? request.subscribeOn(Schedulers.boundedElastic()) : request;
        });
    }

    private Mono<AccessToken> send(TokenRequest request, @Nullable String proof) {
        WebClient.RequestBodySpec spec = webClient.method(config.request().method())
            .uri(uri(request))
            .headers((headers) -> {
                headers.addAll(request.headers());
                if (proof != null) {
                    headers.set(DPoPProofs.HEADER, proof);
                }
            })
            .accept(MediaType.APPLICATION_JSON);
        WebClient.RequestHeadersSpec<?> withBody = spec;
        if (config.request().method() != HttpMethod.GET && !request.parameters().isEmpty()) {
            withBody = (config.request().bodyFormat() == BodyFormat.JSON)
                    ? spec.contentType(MediaType.APPLICATION_JSON).bodyValue(json(request))
                    : spec.contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .body(BodyInserters.fromFormData(request.parameters()));
        }
        // no parameters (a refresh presented as a bearer header): no body at all, not even {} in JSON
        // The endpoint counts expires_in from when it got the request, so the token is issued now, not on arrival.
        Instant sentAt = clock.instant();
        return withBody.exchangeToMono((response) -> read(response, sentAt, request.secrets()));
    }

    private URI uri(TokenRequest request) {
        if (config.request().method() != HttpMethod.GET) {
            return config.tokenUri();
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(config.tokenUri());
        Map<String, String> values = new HashMap<>();
        request.parameters().forEach((name, all) -> all.forEach((value) -> {
            String variable = "v" + values.size();
            builder.queryParam(name, "{" + variable + "}");
            values.put(variable, value);
        }));
        return builder.encode().buildAndExpand(values).toUri();
    }

    /** A JSON object: a parameter given once is a string, one given more than once an array. */
    private static Map<String, Object> json(TokenRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        request.parameters().forEach((name, values) -> json.put(name, (values.size() == 1) ? values.get(0) : values));
        return json;
    }

    private Mono<AccessToken> read(ClientResponse response, Instant sentAt, Set<String> secrets) {
        int status = response.statusCode().value();
        String contentType = response.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        if (dpop != null) {
            dpop.remember(config.tokenUri(), response.headers().asHttpHeaders().getFirst(DPoPProofs.NONCE_HEADER));
        }
        return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), config.limits().maxResponseBytes())
            .map(TokenEndpointClient::bytes)
            .defaultIfEmpty(new byte[0])
            .onErrorMap(DataBufferLimitException.class, (ex) -> new MalformedTokenResponseException(config.tokenUri(),
                    status, "response body larger than " + config.limits().maxResponseBytes() + " bytes"))
            .map((body) -> parser.parse(config.tokenUri(), status, contentType, body, sentAt, secrets));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    @Override
    public String toString() {
        return "TokenEndpointClient[" + config + "]";
    }
}
