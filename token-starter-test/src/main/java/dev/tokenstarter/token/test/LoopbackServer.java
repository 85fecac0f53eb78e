package dev.tokenstarter.token.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint.Mode;

/**
 * The HTTP server behind an endpoint, on 127.0.0.1 and a free port: it routes the token path and the API,
 * switches the token path's mode, stops listening in {@link Mode#REFUSED} and listens on the same port again
 * when switched back.
 */
final class LoopbackServer {

    /** Guards starting and stopping the server (a lock, not a monitor: stopping waits for the socket). */
    private final ReentrantLock lifecycle = new ReentrantLock();

    private final ExecutorService executor;

    private final TokenPath tokenPath;

    private final HttpHandler api;

    private final int port;

    private @Nullable HttpServer server;

    /**
     * Listens at once.
     * @param threads how many requests are answered at the same time, or 0 for as many as arrive
     */
    LoopbackServer(int threads, TokenPath tokenPath, HttpHandler api) {
        ThreadFactory factory = (runnable) -> {
            Thread thread = new Thread(runnable, "loopback-token-endpoint");
            thread.setDaemon(true);
            return thread;
        };
        this.executor = (threads > 0) ? Executors.newFixedThreadPool(threads, factory)
                : Executors.newCachedThreadPool(factory);
        this.tokenPath = tokenPath;
        this.api = api;
        HttpServer started = listen(0);
        this.server = started;
        this.port = started.getAddress().getPort();
    }

    int port() {
        return port;
    }

    void switchTo(Mode next) {
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
            tokenPath.switchTo(next);
        }
        finally {
            lifecycle.unlock();
        }
    }

    /** Stops listening and interrupts the requests being answered. */
    void close() {
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
            created.createContext(LoopbackTokenEndpoint.TOKEN_PATH, tokenPath);
            created.createContext(LoopbackTokenEndpoint.API_PATH, api);
            created.setExecutor(executor);
            created.start();
            return created;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not listen on 127.0.0.1:" + onPort + " for the token endpoint", ex);
        }
    }
}
