package dev.tokenstarter.token.web;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import dev.tokenstarter.token.AccessToken;

/**
 * Adds the token to RestClient (and RestTemplate) requests in scope, refreshes and retries once on 401,
 * and follows redirects without carrying the token off its origin. Uses the blocking
 * {@link dev.tokenstarter.token.TokenProvider#getToken()}, which only waits when no valid token is cached.
 */
public final class BearerTokenInterceptor implements ClientHttpRequestInterceptor {

    private static final byte[] NO_BODY = new byte[0];

    /** Request attribute: the token header on this request was put there by this interceptor. */
    private static final String TOKEN_ADDED = BearerTokenInterceptor.class.getName() + ".TOKEN_ADDED";

    private final BearerTokenAuthorizer authorizer;

    public BearerTokenInterceptor(BearerTokenAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        HttpRequest current = request;
        byte[] currentBody = body;
        boolean retried = false;
        for (int hops = 0;; hops++) {
            if (unmark(current)) {
                // an earlier interceptor re-executes a request this one already authorized: decide afresh
                current.getHeaders().remove(authorizer.headerName());
            }
            boolean authorized = authorizer.appliesTo(current.getURI(), current.getHeaders());
            ClientHttpResponse response;
            if (authorized) {
                // the headers are this execution's own copy, so setting the token here touches nobody else's
                AccessToken token = authorizer.provider().getToken();
                authorizer.authorize(current.getHeaders(), token);
                mark(current);
                response = execution.execute(current, currentBody);
                if (!retried && authorizer.isRejection(response.getStatusCode().value())) {
                    response.close();
                    authorizer.provider().invalidate(token);
                    retried = true;
                    authorizer.authorize(current.getHeaders(), authorizer.provider().getToken());
                    response = execution.execute(current, currentBody);
                }
            }
            else {
                response = execution.execute(current, currentBody);
            }
            BearerTokenAuthorizer.Redirect redirect = authorizer.redirect(current.getMethod(), current.getURI(),
                    response.getStatusCode().value(), response.getHeaders(), hops);
            if (redirect == null) {
                return response;
            }
            response.close();
            current = new Hop(redirect.uri(), redirect.method(),
                    authorizer.headersFor(redirect, current.getHeaders(), authorized), current);
            currentBody = redirect.keepBody() ? currentBody : NO_BODY;
        }
    }

    private static void mark(HttpRequest request) {
        try {
            request.getAttributes().put(TOKEN_ADDED, Boolean.TRUE);
        }
        catch (UnsupportedOperationException ex) {
            // a request type without attributes: re-execution by an outer interceptor cannot be recognised
        }
    }

    private static boolean unmark(HttpRequest request) {
        try {
            return request.getAttributes().remove(TOKEN_ADDED) != null;
        }
        catch (UnsupportedOperationException ex) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "BearerTokenInterceptor[" + authorizer + "]";
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
