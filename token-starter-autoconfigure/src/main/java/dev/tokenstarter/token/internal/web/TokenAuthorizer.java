package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Objects;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.TokenFeedback;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;

/**
 * What the WebClient filter and the RestClient interceptor share: whether a request gets the token, how the
 * header looks, every call to the provider (the token to send, and how the API answered it), and the
 * {@link RedirectPolicy}. The adapters differ only in how their client executes a request.
 * <p>
 * With {@link DPoPProofs}, a token the endpoint issued as {@code DPoP} goes out as {@code DPoP <token>}
 * with a proof made for that request (method and URI, so each retry and redirect hop gets its own), and a
 * {@code use_dpop_nonce} challenge is answered by one retry with the nonce. Bearer tokens go out as before.
 */
public final class TokenAuthorizer {

    private final TokenProvider provider;

    private final TokenFeedback feedback;

    private final TokenDestinations destinations;

    private final String headerName;

    private final String scheme;

    private final RedirectPolicy redirects;

    private final @Nullable DPoPBinding dpop;

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
        this(provider, destinations, headerName, scheme, followRedirects, null);
    }

    /**
     * @param provider where tokens come from
     * @param destinations where tokens may go
     * @param headerName the header carrying the token, e.g. {@code Authorization}
     * @param scheme the prefix before a Bearer token, e.g. {@code Bearer}; empty for the bare token
     * @param followRedirects whether redirects are followed
     * @param dpop the client's DPoP proofs (the same as its token endpoint's), or {@code null}
     */
    public TokenAuthorizer(TokenProvider provider, TokenDestinations destinations, String headerName, String scheme,
            boolean followRedirects, @Nullable DPoPProofs dpop) {
        this.dpop = (dpop != null) ? new DPoPBinding(dpop) : null;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.feedback = TokenFeedback.of(provider);
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.headerName = Objects.requireNonNull(headerName, "headerName");
        this.scheme = (scheme != null) ? scheme.trim() : "";
        this.redirects = new RedirectPolicy(followRedirects);
    }

    /** The header that carries the token. */
    public String headerName() {
        return headerName;
    }

    /** Whether a request to {@code uri} with {@code headers} gets the token: in destinations and without its own header. */
    public boolean appliesTo(URI uri, HttpHeaders headers) {
        return destinations.includes(uri) && !headers.containsHeader(headerName);
    }

    /** The token if one can be had without waiting, else {@code null} (then {@link #token()}). */
    public @Nullable AccessToken cachedToken() {
        return provider.cachedToken();
    }

    /** The token, never blocking. */
    public Mono<AccessToken> token() {
        return provider.token();
    }

    /** The token, blocking while one is fetched. */
    public AccessToken getToken() {
        return provider.getToken();
    }

    /** Whether requests with {@code token} need a DPoP proof: it was issued as a DPoP-bound token. */
    public boolean needsProof(AccessToken token) {
        return DPoPBinding.needsProof(dpop, token);
    }

    /** The proof for a request with {@code token}, signed on the calling thread (which may block). */
    public String proofNow(HttpMethod method, URI uri, AccessToken token) {
        return dpop().proofNow(method, uri, token);
    }

    /** The proof for a request with {@code token}, signed on a worker when subscribed, never on an event loop. */
    public Mono<String> proof(HttpMethod method, URI uri, AccessToken token) {
        return dpop().proof(method, uri, token);
    }

    private DPoPBinding dpop() {
        return Objects.requireNonNull(dpop, "DPoP is not enabled for this client");
    }

    /** Puts {@code token} into {@code headers}, and {@code proof} if it is DPoP-bound. */
    public void authorize(HttpHeaders headers, AccessToken token, @Nullable String proof) {
        if (proof != null) {
            DPoPBinding.authorize(headers, headerName, token, proof);
            return;
        }
        headers.set(headerName, scheme.isEmpty() ? token.value() : scheme + " " + token.value());
    }

    /**
     * Tells the provider how the API answered a request that carried {@code token}: a 401 is a rejection,
     * anything else below 500 means the API took the token. A DPoP nonce the answer carries is remembered;
     * a 401 that only asks for it is no rejection of the token, not even when it comes again after the retry
     * with the nonce (a server that rotated its nonce): the caller then gets that 401.
     * @param token the token the request carried
     * @param uri where the request went
     * @param status the response status
     * @param responseHeaders the response headers
     * @param retried whether the request was already a retry after a rejection
     * @param nonceRetried whether the request was already a retry with a new nonce
     * @return what to do: send the request once more with a new token (a first rejection, and the provider
     * dropped the token; it holds new token requests back while an API keeps rejecting fresh ones), once
     * more with the new nonce, or nothing
     */
    public Answer answered(AccessToken token, URI uri, int status, HttpHeaders responseHeaders, boolean retried,
            boolean nonceRetried) {
        if (dpop != null && needsProof(token)) {
            Boolean newNonce = dpop.answered(uri, status, responseHeaders, nonceRetried);
            if (newNonce != null) {
                return newNonce ? Answer.NEW_NONCE : Answer.DONE;
            }
        }
        if (status == 401) {
            return (feedback.rejected(token, status) && !retried) ? Answer.NEW_TOKEN : Answer.DONE;
        }
        if (status < 500) {
            feedback.accepted(token);
        }
        return Answer.DONE;
    }

    /** What to do after an answer. */
    public enum Answer {

        /** Hand the response to the caller (or follow its redirect). */
        DONE,

        /** Send the request again with a new token. */
        NEW_TOKEN,

        /** Send the request again with the same token and a proof carrying the nonce the API just sent. */
        NEW_NONCE
    }

    /** Whether redirects are followed at all, so that a request's body may have to be sent again. */
    public boolean followsRedirects() {
        return redirects.follows();
    }

    /** See {@link RedirectPolicy#next}. */
    public RedirectPolicy.@Nullable Redirect redirect(HttpMethod method, URI uri, int status, HttpHeaders responseHeaders,
            int hops) {
        return redirects.next(method, uri, status, responseHeaders, hops);
    }

    /** See {@link RedirectPolicy#headersFor}. */
    public HttpHeaders headersFor(RedirectPolicy.Redirect redirect, HttpHeaders original, boolean tokenAdded) {
        HttpHeaders headers = redirects.headersFor(redirect, original, headerName, tokenAdded);
        if (dpop != null && (tokenAdded || redirect.crossOrigin())) {
            headers.remove(DPoPProofs.HEADER); // made for the previous hop's method and URI
        }
        return headers;
    }

    @Override
    public String toString() {
        return "TokenAuthorizer[" + destinations + ", header=" + headerName + ((dpop != null) ? ", DPoP" : "") + "]";
    }
}
