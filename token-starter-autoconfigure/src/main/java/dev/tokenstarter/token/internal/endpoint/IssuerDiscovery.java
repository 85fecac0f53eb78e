package dev.tokenstarter.token.internal.endpoint;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.TokenFetchException;

/**
 * Finds an authorization server's token endpoint from its issuer: the OpenID Connect Discovery document
 * ({@code {issuer}/.well-known/openid-configuration}), else the RFC 8414 metadata
 * ({@code {origin}/.well-known/oauth-authorization-server{issuer path}}); a 4xx answer moves on to the next.
 * The document's {@code issuer} must be the configured one, character for character (RFC 8414 §3.3,
 * OpenID Connect Discovery §4.3), and its {@code token_endpoint} https when the issuer is; a plain http one
 * only on loopback (as for a configured {@code token-uri}) unless insecure http is allowed. Over the same
 * transport and limits as the token requests; each subscription asks the server again (the caller caches).
 */
public final class IssuerDiscovery {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final URI issuer;

    private final TokenEndpointConfig.Limits limits;

    private final WebClient webClient;

    private final boolean allowInsecureHttp;

    /**
     * @param issuer the issuer identifier
     * @param limits the timeouts and largest document accepted
     * @param transport how the server is reached (the token endpoint's SSL bundle and connector)
     */
    public IssuerDiscovery(URI issuer, TokenEndpointConfig.Limits limits, TokenEndpointTransport transport) {
        this(issuer, limits, transport, false);
    }

    /**
     * @param issuer the issuer identifier
     * @param limits the timeouts and largest document accepted
     * @param transport how the server is reached (the token endpoint's SSL bundle and connector)
     * @param allowInsecureHttp whether a plain http token endpoint on another host than this one is accepted
     * ({@code allow-insecure-http})
     */
    public IssuerDiscovery(URI issuer, TokenEndpointConfig.Limits limits, TokenEndpointTransport transport,
            boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.webClient = WebClient.builder().clientConnector(transport.connector(limits)).build();
    }

    public URI issuer() {
        return issuer;
    }

    /** The metadata locations, in the order they are tried. */
    List<URI> locations() {
        String text = issuer.toString();
        String withoutSlash = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        String path = (issuer.getRawPath() != null && !"/".equals(issuer.getRawPath())) ? issuer.getRawPath() : "";
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
        return List.of(URI.create(withoutSlash + "/.well-known/openid-configuration"),
                URI.create(origin + "/.well-known/oauth-authorization-server" + path));
    }

    /**
     * @return a {@code Mono} that reads the metadata when subscribed and emits the token endpoint, or errors
     * with a {@link TokenFetchException} saying which document failed how
     */
    public Mono<URI> tokenEndpoint() {
        List<URI> locations = locations();
        return read(locations.get(0)).onErrorResume(IssuerDiscovery::isClientError, (ex) -> read(locations.get(1))
            .onErrorMap(IssuerDiscovery::isClientError, (second) -> new TokenFetchException(FailureKind.CLIENT_ERROR,
                    issuer, ((TokenFetchException) second).status(), "no authorization server metadata for issuer "
                            + issuer + ": " + locations.get(0) + " answered " + ((TokenFetchException) ex).status()
                            + " and " + locations.get(1) + " answered " + ((TokenFetchException) second).status()
                            + "; check issuer-uri, or set token-uri instead",
                    null)));
    }

    private static boolean isClientError(Throwable error) {
        return error instanceof TokenFetchException fetch && fetch.kind() == FailureKind.CLIENT_ERROR && fetch.status() > 0;
    }

    private Mono<URI> read(URI location) {
        return webClient.get().uri(location).accept(MediaType.APPLICATION_JSON)
            .exchangeToMono((response) -> body(response, location))
            .timeout(limits.connectTimeout().plus(limits.readTimeout()))
            .onErrorMap((ex) -> !(ex instanceof TokenFetchException), (ex) -> TransportFailures.translate(ex, location, limits));
    }

    private Mono<URI> body(ClientResponse response, URI location) {
        int status = response.statusCode().value();
        return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), limits.maxResponseBytes())
            .map((buffer) -> {
                try {
                    return buffer.toString(StandardCharsets.UTF_8);
                }
                finally {
                    DataBufferUtils.release(buffer);
                }
            })
            .defaultIfEmpty("")
            .onErrorMap(DataBufferLimitException.class, (ex) -> new TokenFetchException(FailureKind.PARSE_ERROR, location,
                    status, "metadata document larger than " + limits.maxResponseBytes() + " bytes", null))
            .map((body) -> tokenEndpoint(location, status, body));
    }

    private URI tokenEndpoint(URI location, int status, String body) {
        if (status != 200) {
            // the body of an error page says nothing worth repeating
            throw new TokenFetchException((status >= 400 && status < 500) ? FailureKind.CLIENT_ERROR : FailureKind.SERVER_ERROR,
                    location, status, "metadata request answered " + status, null);
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        }
        catch (JacksonException ex) {
            throw malformed(location, "it is not JSON");
        }
        String found = document.path("issuer").asString(null);
        if (!issuer.toString().equals(found)) {
            throw malformed(location, "its issuer is " + ((found != null) ? "'" + found + "'" : "missing")
                    + ", not the configured '" + issuer + "' (they must match exactly, RFC 8414 §3.3); set issuer-uri "
                    + "to the server's issuer");
        }
        String endpoint = document.path("token_endpoint").asString(null);
        URI tokenEndpoint;
        try {
            tokenEndpoint = (endpoint != null) ? URI.create(endpoint) : null;
        }
        catch (IllegalArgumentException ex) {
            tokenEndpoint = null;
        }
        if (tokenEndpoint == null || !tokenEndpoint.isAbsolute() || tokenEndpoint.getHost() == null) {
            throw malformed(location, "it has no absolute token_endpoint");
        }
        String scheme = tokenEndpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !("http".equals(scheme) && "http".equalsIgnoreCase(issuer.getScheme()))) {
            throw malformed(location, "its token_endpoint is not https, while the issuer is");
        }
        if ("http".equals(scheme) && !allowInsecureHttp && !LoopbackHosts.isLoopback(tokenEndpoint.getHost())) {
            throw malformed(location, "its token_endpoint '" + Secrets.redact(tokenEndpoint) + "' uses plain http to a "
                    + "non-loopback host, so client credentials would travel unencrypted; use https, or set "
                    + "allow-insecure-http=true if you accept that");
        }
        return tokenEndpoint;
    }

    private static TokenFetchException malformed(URI location, String reason) {
        return new TokenFetchException(FailureKind.PARSE_ERROR, location, 200, "unusable authorization server metadata: "
                + reason, null);
    }

    @Override
    public String toString() {
        return "IssuerDiscovery[" + issuer + "]";
    }
}
