package dev.tokenstarter.token.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A token endpoint on the loopback interface (127.0.0.1, a free port) for tests, with an API beside it that
 * accepts only the tokens it issued and that are still valid.
 * <p>
 * At {@value #TOKEN_PATH} it answers every request with a new token ({@code token-1}, {@code token-2}, … valid
 * for the configured lifetime) unless a test scripted the next answers ({@link #issueNext}, {@link #respondNext})
 * or switched it into an outage ({@link #switchTo}); a test can also hold requests back unanswered until it
 * {@linkplain #release() releases} them ({@link #holdNextRequest}). It counts and records the requests it receives. Under
 * {@value #API_PATH} it checks the {@code Authorization: Bearer} token of every request: 200 for a
 * {@link TokenStatus#VALID valid} token, 401 otherwise (or always, {@link Builder#apiRejectsEveryToken}),
 * counted by {@link TokenStatus}.
 * <pre class="code">
 * try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(2)).start()) {
 *     // token-uri = endpoint.uri(), base-url = endpoint.apiUri()
 *     assertThat(endpoint.apiCalls(TokenStatus.EXPIRED)).isZero();
 * }
 * </pre>
 */
public final class LoopbackTokenEndpoint implements AutoCloseable {

    /** The path tokens are requested at. */
    public static final String TOKEN_PATH = "/token";

    /** The path under which the API accepts valid tokens. */
    public static final String API_PATH = "/api";

    /** How the token path behaves. The API is served in every mode but {@link #REFUSED}. */
    public enum Mode {

        /** Answers: scripted answers first, then a new token per request. */
        UP,

        /** Nothing listens on the port, so connections are refused; the port is kept for when it comes back. */
        REFUSED,

        /** Answers 503 with {@code {"error":"temporarily_unavailable"}}. */
        UNAVAILABLE,

        /** Answers as {@link #UP}, but only after the slow delay (longer than a client's read timeout). */
        SLOW
    }

    private static final Answer INVALID_GRANT = new Answer(400, "{\"error\":\"invalid_grant\"}");

    private static final Answer UNAUTHORIZED_INVALID_GRANT = new Answer(401, "{\"error\":\"invalid_grant\"}");

    private static final Answer BEARER_REFRESH_ONLY = new Answer(401, "{\"error\":\"invalid_request\","
            + "\"error_description\":\"refresh with an empty body and the refresh token as Authorization: Bearer\"}");

    private static final Answer TEMPORARILY_UNAVAILABLE = new Answer(503, "{\"error\":\"temporarily_unavailable\"}");

    private final Duration lifetime;

    private final Duration latency;

    private final Duration slowDelay;

    private final Clock clock;

    private final String tokenPrefix;

    private final boolean revokeEarlierTokens;

    private final boolean apiRejectsEveryToken;

    private final boolean rotateRefreshTokens;

    private final boolean refreshByBearerHeader;

    private final ExecutorService executor;

    private final int port;

    private final AtomicInteger requestCount = new AtomicInteger();

    private final AtomicInteger issuedCount = new AtomicInteger();

    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

    private final Queue<Supplier<Answer>> scripted = new ConcurrentLinkedQueue<>();

    private final AtomicLong sequence = new AtomicLong();

    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();

    private final AtomicReference<@Nullable Issued> latest = new AtomicReference<>();

    /** Tokens with a lower sequence number are revoked. */
    private final AtomicLong revokedBelow = new AtomicLong();

    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    /** Refresh tokens issued and not redeemed yet ({@link Builder#rotateRefreshTokens}). */
    private final Set<String> unusedRefreshTokens = ConcurrentHashMap.newKeySet();

    /** Refresh tokens redeemed once, so a second redemption is told apart from an unknown token. */
    private final Set<String> usedRefreshTokens = ConcurrentHashMap.newKeySet();

    private final AtomicInteger refreshTokenReuses = new AtomicInteger();

    private final AtomicInteger refreshes = new AtomicInteger();

    private final Map<TokenStatus, AtomicInteger> apiCalls = new EnumMap<>(TokenStatus.class);

    /** Guards starting and stopping the server (a lock, not a monitor: stopping waits for the socket). */
    private final ReentrantLock lifecycle = new ReentrantLock();

    /** Guards {@link #toHold} and {@link #released}, so a request decides and picks its gate in one step. */
    private final ReentrantLock holds = new ReentrantLock();

    /** How many of the next token requests are held back. */
    private int toHold;

    /** Opened by {@link #release()}; held requests wait for it. */
    private CountDownLatch released = new CountDownLatch(1);

    private final AtomicInteger held = new AtomicInteger();

    private volatile Mode mode = Mode.UP;

    private @Nullable HttpServer server;

    private LoopbackTokenEndpoint(Builder builder) {
        this.lifetime = builder.lifetime;
        this.latency = builder.latency;
        this.slowDelay = builder.slowDelay;
        this.clock = builder.clock;
        this.tokenPrefix = builder.tokenPrefix;
        this.revokeEarlierTokens = builder.revokeEarlierTokens;
        this.apiRejectsEveryToken = builder.apiRejectsEveryToken;
        this.refreshByBearerHeader = builder.refreshByBearerHeader;
        this.rotateRefreshTokens = builder.rotateRefreshTokens || refreshByBearerHeader;
        ThreadFactory threads = (runnable) -> {
            Thread thread = new Thread(runnable, "loopback-token-endpoint");
            thread.setDaemon(true);
            return thread;
        };
        this.executor = (builder.threads > 0) ? Executors.newFixedThreadPool(builder.threads, threads)
                : Executors.newCachedThreadPool(threads);
        for (TokenStatus status : TokenStatus.values()) {
            apiCalls.put(status, new AtomicInteger());
        }
        HttpServer started = listen(0);
        this.server = started;
        this.port = started.getAddress().getPort();
    }

    /**
     * An endpoint issuing tokens valid for an hour, answering at once.
     * @return the started endpoint
     */
    public static LoopbackTokenEndpoint start() {
        return builder().start();
    }

    /**
     * A builder for an endpoint with other lifetimes, delays, a clock of the test's, or revocation.
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where tokens are requested.
     * @return {@code http://127.0.0.1:<port>/token}
     */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + TOKEN_PATH);
    }

    /**
     * The base URL of the API that accepts only valid tokens; every path below it answers alike.
     * @return {@code http://127.0.0.1:<port>/api}
     */
    public URI apiUri() {
        return URI.create("http://127.0.0.1:" + port + API_PATH);
    }

    /**
     * Switches how the token path behaves from the next request on. Switching to {@link Mode#REFUSED} closes
     * the port (and the API with it); switching away from it listens on the same port again.
     * @param next the new mode
     * @throws UncheckedIOException if the port cannot be listened on again
     */
    public void switchTo(Mode next) {
        lifecycle.lock();
        try {
            HttpServer current = server;
            if (next == Mode.REFUSED && current != null) {
                current.stop(0);
                server = null;
            }
            else if (next != Mode.REFUSED && current == null) {
                server = listen(port);
            }
            mode = next;
        }
        finally {
            lifecycle.unlock();
        }
    }

    /**
     * The next token request (after the answers scripted before) gets this token, valid for this long.
     * @param token the access token to issue
     * @param lifetime its lifetime, sent as {@code expires_in} in whole seconds
     */
    public void issueNext(String token, Duration lifetime) {
        scripted.add(() -> issue(token, lifetime));
    }

    /**
     * The next token request (after the answers scripted before) gets this answer as it is, with
     * {@code Content-Type: application/json}; no token is issued by it.
     * @param status the HTTP status
     * @param body the body
     */
    public void respondNext(int status, String body) {
        scripted.add(() -> new Answer(status, body));
    }

    /**
     * Holds the next token request (after those held already) back, unanswered, until {@link #release()} or
     * {@link #close()}: a client that started a fetch and hangs in it, or dies in it. Once released it is
     * answered as any other request, by the mode it arrived in. It counts as a request when it arrives, and
     * issues its token (revoking earlier ones, if so configured) only when it is answered.
     */
    public void holdNextRequest() {
        holds.lock();
        try {
            toHold++;
        }
        finally {
            holds.unlock();
        }
    }

    /**
     * How many token requests are held back right now.
     * @return the count
     */
    public int heldRequests() {
        return held.get();
    }

    /** Answers every token request held back so far; requests still to be held are not affected. */
    public void release() {
        CountDownLatch gate;
        holds.lock();
        try {
            gate = released;
            released = new CountDownLatch(1);
        }
        finally {
            holds.unlock();
        }
        gate.countDown();
    }

    /**
     * How a token stands now, by the endpoint's clock.
     * @param token the token as presented, without a scheme
     * @return its status; {@link TokenStatus#UNKNOWN} for {@code null}
     */
    public TokenStatus status(@Nullable String token) {
        Issued issued = (token != null) ? tokens.get(token) : null;
        if (issued == null) {
            return TokenStatus.UNKNOWN;
        }
        if (issued.sequence() < revokedBelow.get() || revoked.contains(issued.token())) {
            return TokenStatus.REVOKED;
        }
        return clock.instant().isBefore(issued.expiresAt()) ? TokenStatus.VALID : TokenStatus.EXPIRED;
    }

    /**
     * Whether the API would accept this token now.
     * @param token the token as presented, without a scheme
     * @return whether its status is {@link TokenStatus#VALID}
     */
    public boolean isValid(@Nullable String token) {
        return status(token) == TokenStatus.VALID;
    }

    /**
     * The token issued last.
     * @return the token, or {@code null} if none was issued yet
     */
    public @Nullable String latestToken() {
        Issued issued = latest.get();
        return (issued != null) ? issued.token() : null;
    }

    /**
     * Revokes one token, as an authorization server does when it is told a token leaked.
     * @param token the token to revoke
     */
    public void revoke(String token) {
        revoked.add(token);
    }

    /** Revokes every token issued so far; tokens issued afterwards are valid. */
    public void revokeAll() {
        revokedBelow.accumulateAndGet(sequence.get() + 1, Math::max);
    }

    /**
     * How many token requests arrived, whatever they were answered, since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * How many tokens were issued since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int issuedCount() {
        return issuedCount.get();
    }

    /**
     * How many token requests presented a refresh token that had been redeemed already (answered
     * {@code invalid_grant}), since the start or {@link #resetCounts()}; with {@link Builder#rotateRefreshTokens}.
     * @return the count
     */
    public int refreshTokenReuses() {
        return refreshTokenReuses.get();
    }

    /**
     * How many tokens were issued for a refresh token (the others for the configured grant), since the start
     * or {@link #resetCounts()}; with {@link Builder#rotateRefreshTokens} or {@link Builder#refreshByBearerHeader}.
     * @return the count
     */
    public int refreshCount() {
        return refreshes.get();
    }

    /**
     * The token requests received since the start or {@link #resetCounts()}, oldest first.
     * @return a copy
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * How many API requests presented a token of this status since the start or {@link #resetCounts()}.
     * @param status the status
     * @return the count
     */
    public int apiCalls(TokenStatus status) {
        return apiCalls.get(status).get();
    }

    /**
     * How many API requests arrived since the start or {@link #resetCounts()}.
     * @return the count
     */
    public int apiCalls() {
        return apiCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * Sets the counts to zero and forgets the recorded requests. Issued tokens, scripted answers and the mode
     * stay.
     */
    public void resetCounts() {
        requestCount.set(0);
        issuedCount.set(0);
        refreshTokenReuses.set(0);
        refreshes.set(0);
        requests.clear();
        apiCalls.values().forEach((count) -> count.set(0));
    }

    /** Stops listening, answers held requests (to clients that are usually gone) and interrupts delayed ones. */
    @Override
    public void close() {
        release();
        lifecycle.lock();
        try {
            HttpServer current = server;
            if (current != null) {
                current.stop(0);
                server = null;
            }
        }
        finally {
            lifecycle.unlock();
        }
        executor.shutdownNow();
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer created = HttpServer
                .create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 1024);
            created.createContext(TOKEN_PATH, this::token);
            created.createContext(API_PATH, this::api);
            created.setExecutor(executor);
            created.start();
            return created;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not listen on 127.0.0.1:" + onPort + " for the token endpoint", ex);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        requestCount.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders(), body));
        Mode current = mode;
        awaitReleaseIfHeld();
        pause(latency);
        if (current == Mode.SLOW) {
            pause(slowDelay);
        }
        Answer answer = (current == Mode.UNAVAILABLE) ? TEMPORARILY_UNAVAILABLE
                : next(exchange.getRequestMethod(), body, exchange.getRequestHeaders().getFirst("Authorization"));
        send(exchange, answer.status(), answer.body());
    }

    private void awaitReleaseIfHeld() {
        CountDownLatch gate = null;
        holds.lock();
        try {
            if (toHold > 0) {
                toHold--;
                gate = released;
            }
        }
        finally {
            holds.unlock();
        }
        if (gate == null) {
            return;
        }
        held.incrementAndGet();
        try {
            gate.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            held.decrementAndGet();
        }
    }

    private Answer next(String method, String body, @Nullable String authorization) {
        Supplier<Answer> script = scripted.poll();
        if (script != null) {
            return script.get();
        }
        if (refreshByBearerHeader) {
            String bearer = bearerToken(authorization);
            if (bearer == null) {
                // a refresh token presented any other way is refused; anything else is the first token's grant
                return (presentedRefreshToken(body) != null || body.contains("refresh_token")) ? BEARER_REFRESH_ONLY
                        : issue(null, lifetime);
            }
            return ("POST".equals(method) && body.isEmpty()) ? refresh(bearer, UNAUTHORIZED_INVALID_GRANT)
                    : BEARER_REFRESH_ONLY;
        }
        String refreshToken = rotateRefreshTokens ? presentedRefreshToken(body) : null;
        return (refreshToken != null) ? refresh(refreshToken, INVALID_GRANT) : issue(null, lifetime);
    }

    /** A new token for an unused refresh token, which is used up by it; {@code refused} for any other. */
    private Answer refresh(String refreshToken, Answer refused) {
        if (!unusedRefreshTokens.remove(refreshToken)) {
            if (usedRefreshTokens.contains(refreshToken)) {
                refreshTokenReuses.incrementAndGet();
            }
            return refused;
        }
        usedRefreshTokens.add(refreshToken);
        refreshes.incrementAndGet();
        return issue(null, lifetime);
    }

    /** The refresh token of a {@code refresh_token} grant in a form body, or {@code null}. */
    private static @Nullable String presentedRefreshToken(String body) {
        Map<String, String> form = new RecordedRequest("POST", TOKEN_PATH, Map.of(), body).formParameters();
        return "refresh_token".equals(form.get("grant_type")) ? form.get("refresh_token") : null;
    }

    private Answer issue(@Nullable String token, Duration lifetime) {
        long number = sequence.incrementAndGet();
        Issued issued = new Issued((token != null) ? token : tokenPrefix + "-" + number, number,
                clock.instant().plus(lifetime));
        tokens.put(issued.token(), issued);
        latest.accumulateAndGet(issued, (a, b) -> (a == null || b.sequence() > a.sequence()) ? b : a);
        if (revokeEarlierTokens) {
            revokedBelow.accumulateAndGet(number, Math::max);
        }
        issuedCount.incrementAndGet();
        String refreshToken = "";
        if (rotateRefreshTokens) {
            String issuedRefreshToken = "refresh-" + issued.token();
            unusedRefreshTokens.add(issuedRefreshToken);
            refreshToken = ",\"refresh_token\":\"" + issuedRefreshToken + "\"";
        }
        // the endpoint that refreshes by bearer header answers as the API it stands for: "bearer" in lower case
        String type = refreshByBearerHeader ? "bearer" : "Bearer";
        return new Answer(200, "{\"access_token\":\"" + issued.token() + "\"" + refreshToken + ",\"token_type\":\"" + type
                + "\",\"expires_in\":" + lifetime.toSeconds() + "}");
    }

    private void api(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        TokenStatus status = status(bearerToken(exchange.getRequestHeaders().getFirst("Authorization")));
        apiCalls.get(status).incrementAndGet();
        if (status == TokenStatus.VALID && !apiRejectsEveryToken) {
            send(exchange, 200, "[]");
        }
        else {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(exchange, 401, "");
        }
    }

    private static @Nullable String bearerToken(@Nullable String authorization) {
        String scheme = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        return authorization.substring(scheme.length()).trim();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        catch (IOException ex) {
            // the client timed out and left
        }
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int status, String body) {
    }

    private record Issued(String token, long sequence, Instant expiresAt) {
    }

    /**
     * Configures a {@link LoopbackTokenEndpoint}; {@link #start()} listens.
     */
    public static final class Builder {

        private Duration lifetime = Duration.ofHours(1);

        private Duration latency = Duration.ZERO;

        private Duration slowDelay = Duration.ofSeconds(2);

        private Clock clock = Clock.systemUTC();

        private String tokenPrefix = "token";

        private boolean revokeEarlierTokens;

        private boolean apiRejectsEveryToken;

        private boolean rotateRefreshTokens;

        private boolean refreshByBearerHeader;

        private int threads;

        private Builder() {
        }

        /**
         * How long issued tokens are valid, sent as {@code expires_in} in whole seconds. One hour unless set.
         * @param lifetime the lifetime
         * @return this builder
         */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /**
         * How long every token answer is held back, standing in for a real authorization server's latency.
         * None unless set.
         * @param latency the delay
         * @return this builder
         */
        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /**
         * How long answers are held back in {@link Mode#SLOW}, on top of the latency. Two seconds unless set.
         * @param slowDelay the delay
         * @return this builder
         */
        public Builder slowDelay(Duration slowDelay) {
            this.slowDelay = slowDelay;
            return this;
        }

        /**
         * The clock tokens are issued and checked by, for tests that move time by hand. The system clock unless
         * set.
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * What issued tokens are called before their number: {@code <prefix>-1}, {@code <prefix>-2}, …
         * {@code token} unless set.
         * @param tokenPrefix the prefix
         * @return this builder
         */
        public Builder tokenPrefix(String tokenPrefix) {
            this.tokenPrefix = tokenPrefix;
            return this;
        }

        /**
         * Revokes every earlier token when a new one is issued, as authorization servers do that allow one
         * token per client: only the latest token is valid.
         * @return this builder
         */
        public Builder revokeEarlierTokens() {
            this.revokeEarlierTokens = true;
            return this;
        }

        /**
         * The API answers 401 to every token, valid ones too, as an API does that expects another audience;
         * calls are still counted by the token's {@link TokenStatus}.
         * @return this builder
         */
        public Builder apiRejectsEveryToken() {
            this.apiRejectsEveryToken = true;
            return this;
        }

        /**
         * Issues a refresh token with every token and accepts each refresh token once, as servers with
         * rotating single-use refresh tokens do: a {@code refresh_token} grant with an unknown or already
         * redeemed refresh token is answered 400 {@code invalid_grant} (reuses are counted,
         * {@link LoopbackTokenEndpoint#refreshTokenReuses()}), any other grant is answered as usual.
         * @return this builder
         */
        public Builder rotateRefreshTokens() {
            this.rotateRefreshTokens = true;
            return this;
        }

        /**
         * Answers as the API this project was first written for: a token request without an
         * {@code Authorization: Bearer} header is the first token's grant, answered with a token, a refresh
         * token and {@code "token_type":"bearer"} in lower case; a refresh is a request with an empty body and
         * the refresh token as {@code Authorization: Bearer <refresh token>}, by POST; refresh tokens rotate, and a
         * used or unknown one is answered 401 {@code invalid_grant}. A refresh token presented any other way
         * (a {@code refresh_token} parameter, a body beside the header, another method) is answered 401
         * {@code invalid_request}. Implies {@link #rotateRefreshTokens()}.
         * @return this builder
         */
        public Builder refreshByBearerHeader() {
            this.refreshByBearerHeader = true;
            return this;
        }

        /**
         * How many requests are answered at the same time; the others wait for a thread. As many as arrive
         * unless set.
         * @param threads the number of threads, at least one
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Starts the endpoint.
         * @return the endpoint, listening
         * @throws UncheckedIOException if no port could be listened on
         */
        public LoopbackTokenEndpoint start() {
            return new LoopbackTokenEndpoint(this);
        }
    }
}
