package dev.tokenstarter.token.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;

/**
 * What the WebClient filter and the RestClient interceptor share: whether a request gets the token, how the
 * header looks, every call to the provider (the token to send, and how the API answered it), and the
 * {@link RedirectPolicy}. The adapters differ only in how their client executes a request.
 */
public final class TokenAuthorizer {

    private final TokenProvider provider;

    private final TokenDestinations destinations;

    private final String headerName;

    private final String scheme;

    private final RedirectPolicy redirects;

    /**
     * @param provider where tokens come from
     * @param destinations where tokens may go
     * @param headerName the header carrying the token, e.g. {@code Authorization}
     * @param scheme the prefix before the token, e.g. {@code Bearer}; empty for the bare token
     * @param followRedirects whether redirects are followed (by the {@link RedirectPolicy}, since the
     * underlying HTTP client is told not to)
     */
    public TokenAuthorizer(TokenProvider provider, TokenDestinations destinations, String headerName, String scheme,
            boolean followRedirects) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.headerName = Objects.requireNonNull(headerName, "headerName");
        this.scheme = (scheme != null) ? scheme.trim() : "";
        this.redirects = new RedirectPolicy(followRedirects);
    }

    /** The header that carries the token. */
    String headerName() {
        return headerName;
    }

    /** Whether a request to {@code uri} with {@code headers} gets the token: in destinations and without its own header. */
    boolean appliesTo(URI uri, HttpHeaders headers) {
        return destinations.includes(uri) && !headers.containsHeader(headerName);
    }

    /** The token if one can be had without waiting, else {@code null} (then {@link #token()}). */
    @Nullable AccessToken cachedToken() {
        return provider.cachedToken();
    }

    /** The token, never blocking. */
    Mono<AccessToken> token() {
        return provider.token();
    }

    /** The token, blocking while one is fetched. */
    AccessToken getToken() {
        return provider.getToken();
    }

    /** Puts {@code token} into {@code headers}. */
    void authorize(HttpHeaders headers, AccessToken token) {
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
    boolean answered(AccessToken token, int status, boolean retried) {
        if (status == 401) {
            return provider.rejected(token, status) && !retried;
        }
        if (status < 500) {
            provider.accepted(token);
        }
        return false;
    }

    /** Whether redirects are followed at all, so that a request's body may have to be sent again. */
    boolean followsRedirects() {
        return redirects.follows();
    }

    /** See {@link RedirectPolicy#next}. */
    RedirectPolicy.Redirect redirect(HttpMethod method, URI uri, int status, HttpHeaders responseHeaders, int hops) {
        return redirects.next(method, uri, status, responseHeaders, hops);
    }

    /** See {@link RedirectPolicy#headersFor}. */
    HttpHeaders headersFor(RedirectPolicy.Redirect redirect, HttpHeaders original, boolean tokenAdded) {
        return redirects.headersFor(redirect, original, headerName, tokenAdded);
    }

    @Override
    public String toString() {
        return "TokenAuthorizer[" + destinations + ", header=" + headerName + "]";
    }
}
