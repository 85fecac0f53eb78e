package dev.tokenstarter.token.internal.dpop;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Creates one client's DPoP proofs (RFC 9449 §4) and remembers the newest {@code DPoP-Nonce} each origin
 * sent. A proof is a few hundred bytes of hand-built JSON around the key's signature, which is nearly all
 * of its cost; {@link #proof} signs on a bounded worker pool for callers on an event loop.
 */
public final class DPoPProofs {

    /** The request header carrying the proof. */
    public static final String HEADER = "DPoP";

    /** The response header carrying a server's nonce. */
    public static final String NONCE_HEADER = "DPoP-Nonce";

    /** The token type (and authorization scheme) of a DPoP-bound token. */
    public static final String TOKEN_TYPE = "DPoP";

    /** The error a server answers with when the proof lacks its (newest) nonce. */
    public static final String USE_NONCE_ERROR = "use_dpop_nonce";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DPoPKey key;

    private final Clock clock;

    private final Scheduler signing;

    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    private volatile @Nullable AccessTokenHash lastHash;

    /** Proofs signed by {@code key}, off event loops on Reactor's bounded elastic pool. */
    public DPoPProofs(DPoPKey key, Clock clock) {
        this(key, clock, Schedulers.boundedElastic());
    }

    /**
     * @param key the client's key
     * @param clock the proofs' {@code iat}
     * @param signing the bounded pool {@link #proof} signs on
     */
    public DPoPProofs(DPoPKey key, Clock clock, Scheduler signing) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signing = Objects.requireNonNull(signing, "signing");
    }

    public DPoPKey key() {
        return key;
    }

    /**
     * A proof for one request, signed on the calling thread: for callers that may block (RestClient).
     * @param method the request's method ({@code htm})
     * @param uri the request's URI; {@code htu} is it without query and fragment
     * @param accessToken the token sent with the request ({@code ath}), or {@code null} at the token endpoint
     */
    public String create(String method, URI uri, @Nullable String accessToken) {
        StringBuilder claims = new StringBuilder(256).append("{\"htm\":\"").append(method).append("\",\"htu\":\"");
        appendJsonString(claims, htu(uri)).append("\",\"iat\":").append(clock.millis() / 1000).append(",\"jti\":\"")
            .append(jti());
        if (accessToken != null) {
            claims.append("\",\"ath\":\"").append(hash(accessToken));
        }
        String nonce = nonces.get(origin(uri));
        if (nonce != null) {
            appendJsonString(claims.append("\",\"nonce\":\""), nonce);
        }
        return key.sign(claims.append("\"}").toString());
    }

    /**
     * The same proof, created when subscribed: what a WebClient filter or a reactive token request uses. When
     * the subscribing thread is one Reactor marks non-blocking (a Netty event loop, a parallel worker), it is
     * signed on the bounded worker pool, so that the signature never occupies such a thread; downstream then
     * resumes on the worker. On any other thread (one that blocks for the answer, a servlet or virtual
     * thread, a bounded-elastic worker) it is signed right there, as the RestClient interceptor does: handing
     * it to another thread and back would only add two thread switches (DPoPBenchmark measures both paths).
     */
    public Mono<String> proof(String method, URI uri, @Nullable String accessToken) {
        Mono<String> proof = Mono.fromCallable(() -> create(method, uri, accessToken));
        return Mono.defer(() -> Schedulers.isInNonBlockingThread() ? proof.subscribeOn(signing) : proof);
    }

    /**
     * Remembers {@code nonce} for {@code uri}'s origin if there is one; a server may send a new one with any
     * response.
     */
    public void remember(URI uri, @Nullable String nonce) {
        if (nonce != null && isNonce(nonce)) {
            nonces.put(origin(uri), nonce);
        }
    }

    /** The nonce remembered for {@code uri}'s origin, or {@code null}. */
    public @Nullable String nonce(URI uri) {
        return nonces.get(origin(uri));
    }

    /** Whether a 401's {@code WWW-Authenticate} values ask for a nonce ({@code DPoP error="use_dpop_nonce"}). */
    public static boolean isNonceChallenge(@Nullable List<String> wwwAuthenticate) {
        if (wwwAuthenticate == null) {
            return false;
        }
        for (String challenge : wwwAuthenticate) {
            if (challenge.regionMatches(true, 0, TOKEN_TYPE, 0, TOKEN_TYPE.length())
                    && challenge.replace(" ", "").contains("error=\"" + USE_NONCE_ERROR + "\"")) {
                return true;
            }
        }
        return false;
    }

    /** {@code htu}: scheme, host, port unless the default, and path, without query and fragment (§4.2). */
    static String htu(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder htu = new StringBuilder(64).append(scheme).append("://")
            .append(uri.getHost().toLowerCase(Locale.ROOT));
        int port = uri.getPort();
        if (port != -1 && port != defaultPort(scheme)) {
            htu.append(':').append(port);
        }
        String path = uri.getRawPath();
        return htu.append((path == null || path.isEmpty()) ? "/" : path).toString();
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort(scheme);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : ("http".equals(scheme) ? 80 : -1);
    }

    /** 128 random bits: RFC 9449 asks for at least 96. */
    private static String jti() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** {@code ath}, computed once per token: every call with the same token carries the same hash. */
    private String hash(String accessToken) {
        AccessTokenHash last = lastHash;
        if (last != null && last.token().equals(accessToken)) {
            return last.hash();
        }
        String hash = BASE64URL.encodeToString(DPoPKey.sha256(accessToken.getBytes(StandardCharsets.US_ASCII)));
        lastHash = new AccessTokenHash(accessToken, hash);
        return hash;
    }

    /** RFC 9449 §8.1: a nonce is 1*NQCHAR (visible ASCII without {@code "} and {@code \}). */
    private static boolean isNonce(String value) {
        if (value.isEmpty() || value.length() > 1024) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** URIs and nonces are printable ASCII already; quotes and backslashes are all that need escaping. */
    private static StringBuilder appendJsonString(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json;
    }

    @Override
    public String toString() {
        return "DPoPProofs[" + key + ", nonces for " + nonces.keySet() + "]";
    }

    private record AccessTokenHash(String token, String hash) {

        @Override
        public String toString() {
            return "AccessTokenHash[" + hash + "]";
        }
    }
}
