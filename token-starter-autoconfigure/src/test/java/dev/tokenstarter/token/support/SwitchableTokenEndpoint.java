package dev.tokenstarter.token.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint on loopback whose health the test switches: up, refusing connections (not listening),
 * answering 503, or answering too slowly. Keeps its port across switches.
 */
public final class SwitchableTokenEndpoint implements AutoCloseable {

    /** What the endpoint does. */
    public enum Mode {
        UP, REFUSED, UNAVAILABLE, SLOW
    }

    private final int port;

    private final long lifetimeSeconds;

    private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "switchable-token-endpoint");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicInteger issued = new AtomicInteger();

    private volatile Mode mode = Mode.UP;

    private HttpServer server;

    public SwitchableTokenEndpoint(long lifetimeSeconds) throws IOException {
        this.lifetimeSeconds = lifetimeSeconds;
        this.server = start(0);
        this.port = server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/token");
    }

    public synchronized void switchTo(Mode next) throws IOException {
        if (next == Mode.REFUSED && server != null) {
            server.stop(0);
            server = null;
        }
        else if (next != Mode.REFUSED && server == null) {
            server = start(port);
        }
        mode = next;
    }

    /** How many tokens were issued. */
    public int issued() {
        return issued.get();
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        created.createContext("/token", (exchange) -> {
            exchange.getRequestBody().readAllBytes();
            if (mode == Mode.SLOW) {
                sleep(2000);
            }
            boolean up = mode != Mode.UNAVAILABLE;
            byte[] body = (up ? "{\"access_token\":\"outage-token-" + issued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + lifetimeSeconds + "}"
                    : "{\"error\":\"temporarily_unavailable\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            catch (IOException ex) {
                // the client timed out and left
            }
        });
        created.setExecutor(executor);
        created.start();
        return created;
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
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
