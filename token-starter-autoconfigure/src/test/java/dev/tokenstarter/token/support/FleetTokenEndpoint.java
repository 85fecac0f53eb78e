package dev.tokenstarter.token.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint ({@code /token}) and the API it issues tokens for ({@code /api}) on one loopback port, in
 * real time: tokens live {@code lifetimeSeconds}; in {@code revokeEarlier} mode issuing a token revokes every
 * earlier one (as platforms that keep only the latest token do), so the API answers 401 to anything but
 * the newest token. A test can hold the next token request back (a holder that hangs mid-fetch). To be
 * folded into the shared token-starter-test endpoint.
 */
public final class FleetTokenEndpoint implements AutoCloseable {

    private final HttpServer server;

    private final long lifetimeSeconds;

    private final boolean revokeEarlier;

    private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "fleet-token-endpoint");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicInteger issued = new AtomicInteger();

    /** Token value to its expiry (System.nanoTime()). */
    private final Map<String, Long> valid = new ConcurrentHashMap<>();


    private final AtomicLong apiCalls = new AtomicLong();

    private final AtomicLong apiRejections = new AtomicLong();

    private final AtomicLong holdNextMillis = new AtomicLong();

    public FleetTokenEndpoint(long lifetimeSeconds, boolean revokeEarlier) throws IOException {
        this.lifetimeSeconds = lifetimeSeconds;
        this.revokeEarlier = revokeEarlier;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/token", this::token);
        server.createContext("/api", this::api);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Tokens issued so far. */
    public int tokenRequests() {
        return issued.get();
    }

    public long apiCalls() {
        return apiCalls.get();
    }

    /** API requests answered 401 (revoked, expired or unknown token). */
    public long apiRejections() {
        return apiRejections.get();
    }

    /** The next token request is answered only after {@code hold}. */
    public void holdNextTokenRequest(Duration hold) {
        holdNextMillis.set(hold.toMillis());
    }

    private void token(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        long hold = holdNextMillis.getAndSet(0);
        if (hold > 0) {
            try {
                Thread.sleep(hold);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        String token;
        synchronized (this) {
            token = "fleet-token-" + issued.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
            if (revokeEarlier) {
                valid.clear();
            }
            valid.put(token, System.nanoTime() + Duration.ofSeconds(lifetimeSeconds).toNanos());
        }
        respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + lifetimeSeconds + "}");
    }

    private void api(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        apiCalls.incrementAndGet();
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = (header != null && header.startsWith("Bearer ")) ? header.substring(7) : "";
        Long expiry = valid.get(token);
        if (expiry == null || System.nanoTime() - expiry >= 0) {
            apiRejections.incrementAndGet();
            respond(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        respond(exchange, 200, "{\"ok\":true}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        catch (IOException ex) {
            // the client left
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
