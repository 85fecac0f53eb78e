package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenSource;
import dev.tokenstarter.token.dpop.DPoPProofs;

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
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parser = new TokenResponseParser(config.responseFormat(), (dpop != null) ? DPoPProofs.TOKEN_TYPE : null);
        this.observer = Objects.requireNonNull(observer, "observer");
        this.webClient = WebClient.builder().clientConnector(transport.connector(config)).build();
        this.dpop = dpop;
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

    private Mono<AccessToken> request(GrantType grant, String refreshToken) {
        Mono<AccessToken> request = Mono.defer(() -> sendWithProof(TokenRequest.of(config, grant, refreshToken), false))
            // Total bound, so a slow-dripping body cannot hold a caller past connect + read timeouts.
            .timeout(config.limits().connectTimeout().plus(config.limits().readTimeout()))
            .onErrorMap((ex) -> !(ex instanceof TokenFetchException), this::translate)
            .map((token) -> (token.hasRefreshToken() || refreshToken == null) ? token : token.withRefreshToken(refreshToken));
        return observer.observe(grant, request);
    }

    private Mono<AccessToken> sendWithProof(TokenRequest request, boolean nonceRetried) {
        if (dpop == null) {
            return send(request, null);
        }
        // htu is the endpoint without the query a GET request carries its parameters in
        Mono<AccessToken> sent = dpop.proof(config.request().method().name(), config.tokenUri(), null)
            .flatMap((proof) -> send(request, proof));
        return nonceRetried ? sent : sent.onErrorResume(TokenEndpointClient::isNonceError,
                (ex) -> sendWithProof(request, true)); // read() remembered the nonce the error came with
    }

    private static boolean isNonceError(Throwable error) {
        return error instanceof OAuthErrorException oauth && DPoPProofs.USE_NONCE_ERROR.equals(oauth.errorCode());
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
        if (config.request().method() != HttpMethod.GET) {
            withBody = (config.request().bodyFormat() == BodyFormat.JSON)
                    ? spec.contentType(MediaType.APPLICATION_JSON).bodyValue(request.parameters())
                    : spec.contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form(request)));
        }
        // The endpoint counts expires_in from when it got the request, so the token is issued now, not on arrival.
        Instant sentAt = clock.instant();
        return withBody.exchangeToMono((response) -> read(response, sentAt, request.secrets()));
    }

    private URI uri(TokenRequest request) {
        if (config.request().method() != HttpMethod.GET) {
            return config.tokenUri();
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(config.tokenUri());
        request.parameters().forEach((name, value) -> builder.queryParam(name, "{" + name + "}"));
        return builder.encode().buildAndExpand(request.parameters()).toUri();
    }

    private static MultiValueMap<String, String> form(TokenRequest request) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        request.parameters().forEach(form::add);
        return form;
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

    private TokenFetchException translate(Throwable error) {
        Throwable cause = (error instanceof WebClientRequestException && error.getCause() != null) ? error.getCause() : error;
        // Transport exceptions name hosts and ports, never request content, so they are kept as causes.
        if (isTimeout(cause)) {
            return new TokenFetchException(FailureKind.TIMEOUT, config.tokenUri(), 0,
                    "no complete answer within the timeout (connect " + config.limits().connectTimeout().toMillis() + " ms, read "
                            + config.limits().readTimeout().toMillis() + " ms)",
                    cause);
        }
        SSLException tls = find(cause, SSLException.class);
        if (tls != null) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, config.tokenUri(), 0, "TLS handshake failed ("
                    + describe(tls) + "). If the endpoint's certificate is not issued by a CA the JVM trusts, configure "
                    + "an SSL bundle that trusts it (request.ssl.bundle)", cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || error instanceof WebClientRequestException) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, config.tokenUri(), 0,
                    "could not reach the endpoint (" + cause.getClass().getSimpleName() + ")", cause);
        }
        return new TokenFetchException(FailureKind.CONNECTION_ERROR, config.tokenUri(), 0,
                "unexpected error while reading the answer (" + cause.getClass().getSimpleName() + ")", cause);
    }

    /** The total bound's, Netty's, the JDK HttpClient's and blocking sockets' timeouts. */
    private static boolean isTimeout(Throwable cause) {
        return cause instanceof TimeoutException || cause instanceof ReadTimeoutException
                || cause instanceof ConnectTimeoutException || cause instanceof HttpTimeoutException
                || cause instanceof SocketTimeoutException || find(cause, SslHandshakeTimeoutException.class) != null;
    }

    /** The first {@code type} in the cause chain (at most 10 deep: chains can be cyclic). */
    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        Throwable candidate = error;
        for (int depth = 0; candidate != null && depth < 10; depth++, candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        return null;
    }

    /**
     * The handshake failure and its innermost cause, which names the certificate problem (untrusted issuer,
     * wrong host name, expired): OpenSSL-based engines only say "General OpenSslEngine problem" themselves.
     * A handshake carries no request content, so nothing here can be a secret.
     */
    private static String describe(SSLException tls) {
        String message = Objects.requireNonNullElse(tls.getMessage(), tls.getClass().getSimpleName());
        Throwable root = tls;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
            root = root.getCause();
        }
        return (root != tls && root.getMessage() != null && !message.contains(root.getMessage()))
                ? message + ": " + root.getMessage() : message;
    }

    @Override
    public String toString() {
        return "TokenEndpointClient[" + config + "]";
    }
}
