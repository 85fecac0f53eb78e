package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.TokenFeedback;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.obo.PerCallerTokens;

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

    private static final Log logger = LogFactory.getLog(TokenAuthorizer.class);

    private static final VarHandle HEADER_VALUE;

    static {
        try {
            HEADER_VALUE = MethodHandles.lookup().findVarHandle(TokenAuthorizer.class, "headerValue", HeaderValue.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** How the header value of a DPoP-bound token starts. */
    private static final String DPOP_PREFIX = DPoPProofs.TOKEN_TYPE + " ";

    private final TokenProvider provider;

    private final TokenFeedback feedback;

    /** The provider if its tokens are the callers' (an on-behalf-of client), else {@code null}. */
    private final @Nullable PerCallerTokens perCaller;

    private final TokenDestinations destinations;

    private final ClientSelection selection;

    private final String headerName;

    /**
     * The header name in lower case, for look-ups: Spring's header maps lower-case the name of every look-up,
     * which allocates a string unless it already is (the name as configured is kept for the header sent).
     */
    private final String headerKey;

    private final String scheme;

    /** The header value of the last token put on a request: made once per token, not once per request. */
    private volatile @Nullable HeaderValue headerValue;

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
     * The authorizer of the client {@code api}, the only one: see {@link ClientSelection#only}.
     * @param provider where tokens come from
     * @param destinations where tokens may go
     * @param headerName the header carrying the token, e.g. {@code Authorization}
     * @param scheme the prefix before a Bearer token, e.g. {@code Bearer}; empty for the bare token
     * @param followRedirects whether redirects are followed
     * @param dpop the client's DPoP proofs (the same as its token endpoint's), or {@code null}
     */
    public TokenAuthorizer(TokenProvider provider, TokenDestinations destinations, String headerName, String scheme,
            boolean followRedirects, @Nullable DPoPProofs dpop) {
        this(provider, destinations, headerName, scheme, followRedirects, dpop, ClientSelection.only("api"));
    }

    /**
     * @param provider where tokens come from
     * @param destinations where tokens may go
     * @param headerName the header carrying the token, e.g. {@code Authorization}
     * @param scheme the prefix before a Bearer token, e.g. {@code Bearer}; empty for the bare token
     * @param followRedirects whether redirects are followed
     * @param dpop the client's DPoP proofs (the same as its token endpoint's), or {@code null}
     * @param selection the client's name among the configured ones, for requests that select a client
     */
    public TokenAuthorizer(TokenProvider provider, TokenDestinations destinations, String headerName, String scheme,
            boolean followRedirects, @Nullable DPoPProofs dpop, ClientSelection selection) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.dpop = (dpop != null) ? new DPoPBinding(dpop) : null;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.feedback = TokenFeedback.of(provider);
        this.perCaller = (provider instanceof PerCallerTokens callers) ? callers : null;
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.headerName = Objects.requireNonNull(headerName, "headerName");
        this.headerKey = headerName.toLowerCase(Locale.ROOT);
        this.scheme = (scheme != null) ? scheme.trim() : "";
        this.redirects = new RedirectPolicy(followRedirects);
    }

    /** The header that carries the token, in lower case: the name to look it up by without allocating. */
    String headerKey() {
        return headerKey;
    }

    /**
     * Whether a request that may select a client ({@link dev.tokenstarter.token.TokenClients#client}) gets this
     * client's token: without a selection if it goes to the destinations and has no such header of its own; with
     * one, only if it selects this client (see {@link ClientSelection}), and then under the same conditions.
     * @param uri where the request goes
     * @param headers its headers
     * @param selected the value of its {@link dev.tokenstarter.token.TokenClients#CLIENT_ATTRIBUTE}, or {@code null}
     * @param dedicatedKind {@code WebClient} or {@code RestClient} if the adapter sits on an HTTP client
     * dedicated to this client, {@code null} if on one shared with other clients' adapters
     * @return whether the request gets the token
     * @throws IllegalArgumentException if it selects a client that is not configured
     * @throws IllegalStateException if it selects another client on an HTTP client dedicated to this one
     */
    public boolean appliesTo(URI uri, HttpHeaders headers, @Nullable Object selected, @Nullable String dedicatedKind) {
        return appliesTo(uri, selected, dedicatedKind) && !headers.containsHeader(headerKey);
    }

    /**
     * For an interceptor, whose request an outer interceptor may execute again: first takes back what
     * {@link #authorize} put on it before, if it is there (the token header when it holds a value this
     * authorizer made, and the DPoP proof that went with a DPoP-bound one), so that the request gets a fresh
     * decision; another's header (an application's, or another client's with {@code apply-to-all-clients})
     * stays. Then decides as {@link #appliesTo(URI, HttpHeaders, Object, String)}, with one look-up of the
     * header, by its lower-case name, for both: nothing is allocated.
     * @param uri where the request goes
     * @param headers its headers
     * @param selected the value of its {@link dev.tokenstarter.token.TokenClients#CLIENT_ATTRIBUTE}, or {@code null}
     * @param dedicatedKind {@code RestClient} if the interceptor sits on an HTTP client dedicated to this client
     * @return whether the request gets the token
     * @throws IllegalArgumentException if it selects a client that is not configured
     * @throws IllegalStateException if it selects another client on an HTTP client dedicated to this one
     */
    public boolean appliesAfresh(URI uri, HttpHeaders headers, @Nullable Object selected, @Nullable String dedicatedKind) {
        String present = headers.getFirst(headerKey);
        if (present != null && isOwnHeaderValue(present)) {
            remove(headers, present);
            present = null;
        }
        // the selection first, as appliesTo: a request that selects a client it cannot have fails, header or not
        return appliesTo(uri, selected, dedicatedKind) && present == null;
    }

    /** {@link #appliesTo(URI, HttpHeaders, Object, String)} but for the header, which the caller checks. */
    private boolean appliesTo(URI uri, @Nullable Object selected, @Nullable String dedicatedKind) {
        if (selected == null) {
            return destinations.includes(uri);
        }
        if (!selection.selects(selected, dedicatedKind)) {
            return false; // another client's: its own adapter decides
        }
        if (!destinations.includes(uri)) {
            if (logger.isDebugEnabled()) {
                logger.debug("A request to " + where(uri) + " selects token client '"
                        + selection.client() + "' but lies outside its destinations (" + destinations
                        + "): it goes without the token");
            }
            return false;
        }
        return true;
    }

    /** Where a request goes, for a log line: without user info and query, which may hold secrets. */
    private static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "")
                + ((uri.getRawPath() != null) ? uri.getRawPath() : "");
    }

    /** The token if one can be had without waiting, else {@code null} (then {@link #token()}). */
    public @Nullable AccessToken cachedToken() {
        return provider.cachedToken();
    }

    /** The token, never blocking. */
    public Mono<AccessToken> token() {
        return provider.token();
    }

    /**
     * {@return {@code exchange}, a WebClient exchange made now on the calling thread, bound to that thread's user}
     * if the tokens are the callers' (see {@link PerCallerTokens#forCallingThread}); else {@code exchange} itself
     */
    public <T> Mono<T> forCallingThread(Mono<T> exchange) {
        return (perCaller != null) ? perCaller.forCallingThread(exchange) : exchange;
    }

    /**
     * {@return whether the request {@code hops} redirects away from the one the application made may get the
     * token, if it applies} The request itself always may; a redirect hop within the destinations may, unless
     * the token is the relayed incoming one ({@link PerCallerTokens#relayed()}), which only the request the
     * application made carries.
     */
    public boolean carriesTokenOn(int hops) {
        return hops == 0 || perCaller == null || !perCaller.relayed();
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
        headers.set(headerName, headerValue(token));
        if (proof != null) {
            headers.set(DPoPProofs.HEADER, proof);
        }
    }

    /** The header value for {@code token}: {@code DPoP <token>} for a DPoP-bound one, else with the scheme. */
    private String headerValue(AccessToken token) {
        HeaderValue last = this.headerValue;
        if (last != null && last.token() == token) {
            return last.value();
        }
        String value = needsProof(token) ? DPOP_PREFIX + token.value()
                : scheme.isEmpty() ? token.value() : scheme + " " + token.value();
        if (HEADER_VALUE.compareAndSet(this, last, new HeaderValue(token, value, (last != null) ? last.value() : null))) {
            return value;
        }
        // another caller made a value at the same moment: if it is this token's, share its string
        HeaderValue made = this.headerValue;
        return (made != null && made.token() == token) ? made.value() : value;
    }

    /** Takes the token header, whose value is {@code added}, off {@code headers}, with its DPoP proof if any. */
    private void remove(HttpHeaders headers, String added) {
        headers.remove(headerKey);
        if (added.startsWith(DPOP_PREFIX)) {
            headers.remove(DPoPProofs.HEADER);
        }
    }

    /**
     * Takes off {@code headers} what {@link #authorize} just put there (the caller knows it did): before a
     * retry or a redirect hop of the same request. Unlike {@link #appliesAfresh}, it does not depend on
     * recognising the value, which other callers' tokens may have pushed out of this authorizer's memory
     * while the request was out.
     */
    public void removeAdded(HttpHeaders headers) {
        String added = headers.getFirst(headerKey);
        if (added != null) {
            remove(headers, added);
        }
    }

    /**
     * Whether {@code value} is a header value this authorizer made: the very string, not an equal one, for the
     * last token or the one before.
     */
    boolean isOwnHeaderValue(@Nullable String value) {
        HeaderValue last = this.headerValue;
        return value != null && last != null && (value == last.value() || value == last.previous());
    }

    /** A token's header value, and the header value of the token before it. */
    private record HeaderValue(AccessToken token, String value, @Nullable String previous) {
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
        return "TokenAuthorizer[" + selection.client() + ", " + destinations + ", header=" + headerName + ((dpop != null) ? ", DPoP" : "") + "]";
    }
}
