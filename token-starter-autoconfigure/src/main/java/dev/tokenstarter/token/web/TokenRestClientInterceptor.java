package dev.tokenstarter.token.web;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.RedirectPolicy;

/**
 * Adds the token to RestClient (and RestTemplate) requests in scope, refreshes and retries once on 401,
 * and follows redirects without carrying the token off its origin. Uses the blocking
 * {@link dev.tokenstarter.token.TokenProvider#getToken()}, which only waits when no valid token is cached.
 */
public final class TokenRestClientInterceptor implements ClientHttpRequestInterceptor {

    private static final byte[] NO_BODY = new byte[0];

    private static final AtomicInteger instances = new AtomicInteger();

    private final TokenAuthorizer authorizer;

    /**
     * Request attribute of this interceptor alone: the header value it put on the request. With
     * {@code apply-to-all-clients} several interceptors sit on one client, and each must only ever remove
     * what it added itself.
     */
    private final String addedAttribute;

    public TokenRestClientInterceptor(TokenAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.addedAttribute = TokenRestClientInterceptor.class.getName() + ".added#" + instances.incrementAndGet();
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
        removeOwnHeader(request);
        if (!authorizer.appliesTo(request.getURI(), request.getHeaders())) {
            return followRedirect(request, body, execution, execution.execute(request, body), false, retried, hops);
        }
        // the headers are this execution's own copy, so setting the token here touches nobody else's
        AccessToken token = authorizer.getToken();
        // a DPoP proof is signed here, on the caller's thread, for this hop's method and URI
        authorize(request, token, authorizer.needsProof(token)
                ? authorizer.proofNow(request.getMethod(), request.getURI(), token) : null);
        ClientHttpResponse response = execution.execute(request, body);
        TokenAuthorizer.Answer answer = authorizer.answered(token, request.getURI(), response.getStatusCode().value(),
                response.getHeaders(), retried, nonceRetried);
        if (answer != TokenAuthorizer.Answer.DONE) {
            response.close();
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
        removeOwnHeader(request); // the request as given goes back to how it came, should it be re-executed
        return send(new Hop(redirect.uri(), redirect.method(), headers, request), redirect.keepBody() ? body : NO_BODY,
                execution, retried, false, hops + 1);
    }

    private void authorize(HttpRequest request, AccessToken token, @Nullable String proof) {
        authorizer.authorize(request.getHeaders(), token, proof);
        try {
            request.getAttributes().put(addedAttribute, request.getHeaders().getFirst(authorizer.headerName()));
        }
        catch (UnsupportedOperationException ex) {
            // a request type without attributes: re-execution by an outer interceptor cannot be recognised
        }
    }

    /** Removes the token header if it still holds exactly the value this interceptor added. */
    private void removeOwnHeader(HttpRequest request) {
        Object added = forget(request);
        if (added != null && added.equals(request.getHeaders().getFirst(authorizer.headerName()))) {
            request.getHeaders().remove(authorizer.headerName());
            if (added.toString().startsWith(DPoPProofs.TOKEN_TYPE + " ")) {
                request.getHeaders().remove(DPoPProofs.HEADER); // the proof that went with it
            }
        }
    }

    private @Nullable Object forget(HttpRequest request) {
        try {
            return request.getAttributes().remove(addedAttribute);
        }
        catch (UnsupportedOperationException ex) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "TokenRestClientInterceptor[" + authorizer + "]";
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
        public java.util.Map<String, Object> getAttributes() {
            return origin.getAttributes();
        }

        @Override
        public String toString() {
            // never the headers: they carry the token
            return method + " " + uri;
        }
    }
}
