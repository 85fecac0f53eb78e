package dev.tokenstarter.token.web;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.RedirectPolicy;

/**
 * Adds the token to RestClient (and RestTemplate) requests in scope, refreshes and retries once on 401,
 * and follows redirects without carrying the token off its origin. Uses the blocking
 * {@link dev.tokenstarter.token.TokenProvider#getToken()}, which only waits when no valid token is cached.
 * <p>
 * A request that selects a client ({@link TokenClients#client(String)}) gets this client's token only if it
 * selects this client; this interceptor leaves a request that selects another client to that client's
 * interceptor on the same RestClient. The {@link #dedicated()} interceptor of a RestClient with no other
 * client's interceptor fails such a request instead.
 */
public final class TokenRestClientInterceptor implements ClientHttpRequestInterceptor {

    private static final byte[] NO_BODY = new byte[0];

    /** The kind of HTTP client this interceptor is for, in messages about a client dedicated to one token client. */
    private static final String KIND = "RestClient";

    private final TokenAuthorizer authorizer;

    /** {@value #KIND} if this interceptor's RestClient carries no other client's interceptor, else {@code null}. */
    private final @Nullable String dedicatedKind;

    /**
     * Made by the auto-configuration, which registers one per client as a bean.
     *
     * @param authorizer decides, per request, whether and how the client's token goes on it
     */
    public TokenRestClientInterceptor(TokenAuthorizer authorizer) {
        this(authorizer, null);
    }

    private TokenRestClientInterceptor(TokenAuthorizer authorizer, @Nullable String dedicatedKind) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.dedicatedKind = dedicatedKind;
    }

    /**
     * {@return this interceptor for a RestClient dedicated to its client} (the preconfigured
     * {@code <name>RestClient}, an HTTP service group's client), where a request that selects another client
     * fails instead of being left to that client's interceptor
     */
    public TokenRestClientInterceptor dedicated() {
        return (dedicatedKind != null) ? this : new TokenRestClientInterceptor(authorizer, KIND);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        return send(request, body, execution, false, false, 0);
    }

    /** The same path as the WebClient filter's: send, retry once after a rejection, follow a redirect. */
    private ClientHttpResponse send(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
            boolean retried, boolean nonceRetried, int hops) throws IOException {
        // an outer interceptor may re-execute a request this one already authorized: decide afresh
        if (!(authorizer.appliesAfresh(request.getURI(), request.getHeaders(), selected(request), dedicatedKind)
                && authorizer.carriesTokenOn(hops))) {
            return followRedirect(request, body, execution, execution.execute(request, body), false, retried, hops);
        }
        // the headers are this execution's own copy, so setting the token here touches nobody else's
        AccessToken token = authorizer.getToken();
        // a DPoP proof is signed here, on the caller's thread, for this hop's method and URI
        authorizer.authorize(request.getHeaders(), token, authorizer.needsProof(token)
                ? authorizer.proofNow(request.getMethod(), request.getURI(), token) : null);
        ClientHttpResponse response = execution.execute(request, body);
        TokenAuthorizer.Answer answer = authorizer.answered(token, request.getURI(), response.getStatusCode().value(),
                response.getHeaders(), retried, nonceRetried);
        if (answer != TokenAuthorizer.Answer.DONE) {
            response.close();
            authorizer.removeAdded(request.getHeaders()); // ours for certain: the retry decides afresh
            boolean newToken = answer == TokenAuthorizer.Answer.NEW_TOKEN;
            return send(request, body, execution, retried || newToken, nonceRetried || !newToken, hops);
        }
        return followRedirect(request, body, execution, response, true, retried, hops);
    }

    private ClientHttpResponse followRedirect(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
            ClientHttpResponse response, boolean tokenAdded, boolean retried, int hops) throws IOException {
        RedirectPolicy.Redirect redirect = authorizer.redirect(request.getMethod(), request.getURI(),
                response.getStatusCode().value(), response.getHeaders(), hops);
        if (redirect == null) {
            return response;
        }
        response.close();
        HttpHeaders headers = authorizer.headersFor(redirect, request.getHeaders(), tokenAdded);
        if (tokenAdded) {
            authorizer.removeAdded(request.getHeaders()); // the request as given goes back to how it came, should it be re-executed
        }
        return send(new Hop(redirect.uri(), redirect.method(), headers, request), redirect.keepBody() ? body : NO_BODY,
                execution, retried, false, hops + 1);
    }

    /**
     * The client the request selects, or {@code null}: without attributes not even a look-up. RestClient fills
     * the map of every request; on RestTemplate's requests, which carry none, asking makes Spring allocate it.
     */
    private static @Nullable Object selected(HttpRequest request) {
        Map<String, Object> attributes = request.getAttributes();
        return attributes.isEmpty() ? null : attributes.get(TokenClients.CLIENT_ATTRIBUTE);
    }

    @Override
    public String toString() {
        return "TokenRestClientInterceptor[" + authorizer + ((dedicatedKind != null) ? ", dedicated" : "") + "]";
    }

    /** A redirect hop: another URI, method or headers than the request it derives from. */
    private record Hop(URI uri, HttpMethod method, HttpHeaders headers, HttpRequest origin) implements HttpRequest {

        @Override
        public URI getURI() {
            return uri;
        }

        @Override
        public HttpMethod getMethod() {
            return method;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return origin.getAttributes();
        }

        @Override
        public String toString() {
            // never the headers: they carry the token
            return method + " " + uri;
        }
    }
}
