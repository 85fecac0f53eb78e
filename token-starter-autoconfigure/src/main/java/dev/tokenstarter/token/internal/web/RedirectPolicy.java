package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Every decision about following a redirect, for the WebClient filter and the RestClient interceptor alike
 * (the HTTP client underneath is told not to follow redirects, so each hop passes through here): which
 * statuses are followed, with which method and body, which headers survive, and how many hops.
 */
public final class RedirectPolicy {

    /** Redirect hops followed before the last 3xx is handed back to the caller. */
    static final int MAX_HOPS = 10;

    /** Credentials that never follow a redirect to another origin. */
    private static final String[] CREDENTIAL_HEADERS = { HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE,
            HttpHeaders.PROXY_AUTHORIZATION };

    private final boolean follow;

    /**
     * @param follow whether redirects are followed at all (the application's HTTP client settings)
     */
    RedirectPolicy(boolean follow) {
        this.follow = follow;
    }

    /** Whether redirects are followed at all. */
    boolean follows() {
        return follow;
    }

    /**
     * The next hop, or {@code null} when the response is handed to the caller as it is: not a redirect,
     * redirects not followed, too many hops, or a {@code Location} that is missing or not a valid URI.
     * @param method the method of the request that was answered
     * @param uri the URI of the request that was answered
     * @param status the response status
     * @param responseHeaders the response headers
     * @param hops how many redirects were followed already
     */
    @Nullable Redirect next(HttpMethod method, URI uri, int status, HttpHeaders responseHeaders, int hops) {
        if (!follow || hops >= MAX_HOPS || !isRedirect(status)) {
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
        // 307 and 308 keep method and body; 303, and 301/302 after a POST, turn into a GET without body
        boolean keepMethod = status == 307 || status == 308 || (status != 303 && !HttpMethod.POST.equals(method));
        HttpMethod nextMethod = (keepMethod || HttpMethod.HEAD.equals(method)) ? method : HttpMethod.GET;
        return new Redirect(target, nextMethod, keepMethod, !TokenDestinations.sameOrigin(uri, target));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The headers of a hop: without the token header the adapter added (each hop decides again), without
     * any credentials when the hop leaves the origin, without the body's headers when the body is dropped.
     * @param redirect the hop
     * @param original the headers of the request that was redirected
     * @param tokenHeader the name of the header carrying the token
     * @param tokenAdded whether those headers carry a token the adapter added
     */
    HttpHeaders headersFor(Redirect redirect, HttpHeaders original, String tokenHeader, boolean tokenAdded) {
        HttpHeaders copy = new HttpHeaders();
        copy.putAll(original);
        if (tokenAdded || redirect.crossOrigin()) {
            copy.remove(tokenHeader);
        }
        if (redirect.crossOrigin()) {
            for (String name : CREDENTIAL_HEADERS) {
                copy.remove(name);
            }
        }
        if (!redirect.keepBody()) {
            copy.remove(HttpHeaders.CONTENT_TYPE);
            copy.remove(HttpHeaders.CONTENT_LENGTH);
        }
        return copy;
    }

    /**
     * One redirect hop.
     *
     * @param uri where to go
     * @param method the method to use
     * @param keepBody whether the body is sent again (307, 308)
     * @param crossOrigin whether the hop leaves the origin of the previous request, so cookies and
     * credentials stay behind
     */
    public record Redirect(URI uri, HttpMethod method, boolean keepBody, boolean crossOrigin) {
    }
}
