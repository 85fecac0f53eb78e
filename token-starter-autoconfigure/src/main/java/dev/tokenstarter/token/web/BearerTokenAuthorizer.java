package dev.tokenstarter.token.web;

import java.net.URI;
import java.util.Objects;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;

/**
 * The decisions shared by the WebClient filter and the RestClient interceptor: whether a request gets the
 * token, how the header looks, when to refresh and retry, and where a redirect may go.
 */
public final class BearerTokenAuthorizer {

    /** Redirect hops followed before the last 3xx is handed back to the caller. */
    public static final int MAX_REDIRECTS = 10;

    private static final String[] SENSITIVE_HEADERS = { HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE,
            HttpHeaders.PROXY_AUTHORIZATION };

    private final TokenProvider provider;

    private final TokenScope scope;

    private final String headerName;

    private final String scheme;

    private final boolean followRedirects;

    /**
     * @param provider where tokens come from
     * @param scope where tokens may go
     * @param headerName the header carrying the token, e.g. {@code Authorization}
     * @param scheme the prefix before the token, e.g. {@code Bearer}; empty for the bare token
     * @param followRedirects whether redirects are followed (by this class's rules, since the underlying
     * HTTP client is told not to)
     */
    public BearerTokenAuthorizer(TokenProvider provider, TokenScope scope, String headerName, String scheme,
            boolean followRedirects) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.headerName = Objects.requireNonNull(headerName, "headerName");
        this.scheme = (scheme != null) ? scheme.trim() : "";
        this.followRedirects = followRedirects;
    }

    public TokenProvider provider() {
        return provider;
    }

    /** The header that carries the token. */
    public String headerName() {
        return headerName;
    }

    /** Whether a request to {@code uri} with {@code headers} gets the token: in scope and without its own header. */
    public boolean appliesTo(URI uri, HttpHeaders headers) {
        return scope.includes(uri) && !headers.containsHeader(headerName);
    }

    /** Puts {@code token} into {@code headers}. */
    public void authorize(HttpHeaders headers, AccessToken token) {
        headers.set(headerName, scheme.isEmpty() ? token.value() : scheme + " " + token.value());
    }

    /**
     * Tells the provider how the API answered a request that carried {@code token}: a 401 is a rejection,
     * anything else below 500 means the API took the token.
     * @param token the token the request carried
     * @param status the response status
     * @param retried whether the request was already a retry after a rejection
     * @return whether to send the request once more with a new token: a first rejection, and the provider
     * dropped the token (it holds new token requests back while an API keeps rejecting fresh ones)
     */
    public boolean answered(AccessToken token, int status, boolean retried) {
        if (status == 401) {
            return provider.rejected(token, status) && !retried;
        }
        if (status < 500) {
            provider.accepted(token);
        }
        return false;
    }

    /**
     * The next hop of a redirect, or {@code null} when the response is not one to follow.
     * @param method the method of the request that was answered
     * @param uri the URI of the request that was answered
     * @param status the response status
     * @param responseHeaders the response headers
     * @param hops how many redirects were followed already
     */
    public Redirect redirect(HttpMethod method, URI uri, int status, HttpHeaders responseHeaders, int hops) {
        if (!followRedirects || hops >= MAX_REDIRECTS || !isRedirect(status)) {
            return null;
        }
        String location = responseHeaders.getFirst(HttpHeaders.LOCATION);
        if (location == null) {
            return null;
        }
        URI target;
        try {
            target = uri.resolve(location);
        }
        catch (IllegalArgumentException ex) {
            return null; // not a valid URI reference (e.g. an unencoded space): the caller gets the 3xx as it is
        }
        if (target.getHost() == null) {
            return null;
        }
        boolean keepMethod = status == 307 || status == 308 || (status != 303 && !HttpMethod.POST.equals(method));
        HttpMethod nextMethod = (keepMethod || HttpMethod.HEAD.equals(method)) ? method : HttpMethod.GET;
        return new Redirect(target, nextMethod, keepMethod, !TokenScope.sameOrigin(uri, target));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Copies the headers for a redirect hop: without the token this class added (each hop decides again),
     * and without any credentials when the redirect leaves the origin.
     * @param redirect the hop
     * @param original the headers of the request that was redirected
     * @param tokenAdded whether those headers carry the token this class added
     */
    public HttpHeaders headersFor(Redirect redirect, HttpHeaders original, boolean tokenAdded) {
        HttpHeaders copy = new HttpHeaders();
        copy.putAll(original);
        if (tokenAdded || redirect.crossOrigin()) {
            copy.remove(headerName);
        }
        if (redirect.crossOrigin()) {
            for (String name : SENSITIVE_HEADERS) {
                copy.remove(name);
            }
        }
        if (!redirect.keepBody()) {
            copy.remove(HttpHeaders.CONTENT_TYPE);
            copy.remove(HttpHeaders.CONTENT_LENGTH);
        }
        return copy;
    }

    @Override
    public String toString() {
        return "BearerTokenAuthorizer[" + scope + ", header=" + headerName + "]";
    }

    /**
     * One redirect hop.
     *
     * @param uri where to go
     * @param method the method to use
     * @param keepBody whether the body is sent again (307, 308)
     * @param crossOrigin whether the hop leaves the origin of the previous request
     */
    public record Redirect(URI uri, HttpMethod method, boolean keepBody, boolean crossOrigin) {
    }
}
