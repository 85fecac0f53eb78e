package dev.tokenstarter.benchmarks.storm;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint on the loopback interface that counts requests and answers each after a fixed delay,
 * standing in for a real authorization server's latency.
 */
final class LocalTokenEndpoint implements AutoCloseable {

    private final HttpServer server;

    private final ExecutorService executor = Executors.newFixedThreadPool(64);

    private final AtomicInteger requests = new AtomicInteger();

    LocalTokenEndpoint(long delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/token", (exchange) -> {
            int number = requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            sleep(delayMillis);
            byte[] body = ("{\"access_token\":\"storm-token-" + number + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    int requests() {
        return requests.get();
    }

    void resetCount() {
        requests.set(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
