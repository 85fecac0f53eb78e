package dev.tokenstarter.e2e.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint issuing short-lived random tokens, and an API that checks them strictly: every request
 * whose token is unknown or already expired on arrival is answered 401 and counted.
 */
final class ExpiringTokenServer implements AutoCloseable {

    private final HttpServer server;

    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    private final SecureRandom random = new SecureRandom();

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    private final long lifetimeMillis;

    final AtomicInteger tokensIssued = new AtomicInteger();

    final AtomicInteger apiCalls = new AtomicInteger();

    final AtomicInteger expiredOnArrival = new AtomicInteger();

    final AtomicInteger unknownToken = new AtomicInteger();

    ExpiringTokenServer(long lifetimeSeconds) throws IOException {
        this.lifetimeMillis = lifetimeSeconds * 1000;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.createContext("/token", (exchange) -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            expiries.put(token, System.currentTimeMillis() + lifetimeMillis);
            tokensIssued.incrementAndGet();
            send(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + lifetimeSeconds + "}");
        });
        server.createContext("/api", (exchange) -> {
            apiCalls.incrementAndGet();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Long expiry = (authorization != null) ? expiries.get(authorization.replace("Bearer ", "")) : null;
            if (expiry == null) {
                unknownToken.incrementAndGet();
                send(exchange, 401, "");
            }
            else if (System.currentTimeMillis() >= expiry) {
                expiredOnArrival.incrementAndGet();
                send(exchange, 401, "");
            }
            else {
                send(exchange, 200, "[]");
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
