package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;

/**
 * DPoP on the API calls of one client: a token the endpoint issued as {@code DPoP} goes out as
 * {@code DPoP <token>} with a proof made for that request (method and URI, so each retry and redirect hop gets its
 * own), and a {@code use_dpop_nonce} challenge is answered by one retry with the nonce.
 */
final class DPoPBinding {

    private final DPoPProofs proofs;

    DPoPBinding(DPoPProofs proofs) {
        this.proofs = proofs;
    }

    /** Whether requests with {@code token} need a proof: it was issued as a DPoP-bound token. */
    static boolean needsProof(@Nullable DPoPBinding dpop, AccessToken token) {
        return dpop != null && DPoPProofs.TOKEN_TYPE.equalsIgnoreCase(token.tokenType());
    }

    /** The proof for a request with {@code token}, signed on the calling thread (which may block). */
    String proofNow(HttpMethod method, URI uri, AccessToken token) {
        return proofs.create(method.name(), uri, token.value());
    }

    /** The proof for a request with {@code token}, signed on a worker when subscribed, never on an event loop. */
    Mono<String> proof(HttpMethod method, URI uri, AccessToken token) {
        return proofs.proof(method.name(), uri, token.value());
    }

    /**
     * Remembers the nonce an answer carries, and tells whether the answer was only a nonce challenge: then it
     * never rejects the token; one retry with the nonce, then the caller gets it.
     * @return {@code null} when the answer was no nonce challenge, else whether to retry with the new nonce
     */
    @Nullable Boolean answered(URI uri, int status, HttpHeaders responseHeaders, boolean nonceRetried) {
        String nonce = responseHeaders.getFirst(DPoPProofs.NONCE_HEADER);
        proofs.remember(uri, nonce);
        if (status == 401 && DPoPProofs.isNonceChallenge(responseHeaders.get(HttpHeaders.WWW_AUTHENTICATE))) {
            return nonce != null && !nonceRetried;
        }
        return null;
    }
}
