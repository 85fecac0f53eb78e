package dev.tokenstarter.token.web;

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

/**
 * Adds the token to RestClient (and RestTemplate) requests in scope, refreshes and retries once on 401,
 * and follows redirects without carrying the token off its origin. Uses the blocking
 * {@link dev.tokenstarter.token.TokenProvider#getToken()}, which only waits when no valid token is cached.
 */
public final class BearerTokenInterceptor implements ClientHttpRequestInterceptor {

    private static final byte[] NO_BODY = new byte[0];

    private static final AtomicInteger instances = new AtomicInteger();

    private final BearerTokenAuthorizer authorizer;

    /**
     * Request attribute of this interceptor alone: the header value it put on the request. With
     * {@code apply-to-all-clients} several interceptors sit on one client, and each must only ever remove
     * what it added itself.
     */
    private final String addedAttribute;

    public BearerTokenInterceptor(BearerTokenAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.addedAttribute = BearerTokenInterceptor.class.getName() + ".added#" + instances.incrementAndGet();
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        HttpRequest current = request;
        byte[] currentBody = body;
        boolean retried = false;
        for (int hops = 0;; hops++) {
            // an outer interceptor may re-execute a request this one already authorized: decide afresh
            removeOwnHeader(current);
            boolean authorized = authorizer.appliesTo(current.getURI(), current.getHeaders());
            ClientHttpResponse response;
            if (authorized) {
                // the headers are this execution's own copy, so setting the token here touches nobody else's
                AccessToken token = authorizer.provider().getToken();
                authorize(current, token);
                response = execution.execute(current, currentBody);
                if (authorizer.answered(token, response.getStatusCode().value(), retried)) {
                    response.close();
                    retried = true;
                    AccessToken next = authorizer.provider().getToken();
                    authorize(current, next);
                    response = execution.execute(current, currentBody);
                    authorizer.answered(next, response.getStatusCode().value(), true);
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
            HttpHeaders hopHeaders = authorizer.headersFor(redirect, current.getHeaders(), authorized);
            removeOwnHeader(current); // the request as given goes back to how it came, should it be re-executed
            current = new Hop(redirect.uri(), redirect.method(), hopHeaders, current);
            currentBody = redirect.keepBody() ? currentBody : NO_BODY;
        }
    }

    private void authorize(HttpRequest request, AccessToken token) {
        authorizer.authorize(request.getHeaders(), token);
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
        }
    }

    private Object forget(HttpRequest request) {
        try {
            return request.getAttributes().remove(addedAttribute);
        }
        catch (UnsupportedOperationException ex) {
            return null;
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
