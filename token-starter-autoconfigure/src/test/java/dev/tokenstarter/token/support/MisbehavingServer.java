package dev.tokenstarter.token.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A raw TCP server on loopback that answers HTTP requests the way broken or hostile servers do: dripping
 * the body a byte at a time, resetting the connection, closing without an answer, never answering, or
 * sending bytes that are not HTTP. Every connection gives up by itself after a few seconds.
 */
public final class MisbehavingServer implements AutoCloseable {

    /** How the server misbehaves. */
    public enum Mode {

        /** Valid headers, then one body byte every 100 ms. */
        SLOW_DRIP,

        /** Reads the request, then resets the connection (RST). */
        RESET,

        /** Reads the request, then closes the connection without answering. */
        CLOSE,

        /** Reads the request and never answers. */
        HANG,

        /** Answers with bytes that are not HTTP. */
        GARBAGE
    }

    private final ServerSocket socket;

    private final Mode mode;

    private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "misbehaving-server");
        thread.setDaemon(true);
        return thread;
    });

    public MisbehavingServer(Mode mode) throws IOException {
        this.mode = mode;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(this::acceptLoop);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/oauth/token");
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                executor.execute(() -> handle(connection));
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void handle(Socket connection) {
        try (connection) {
            connection.setSoTimeout(5000);
            readRequestHead(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            switch (mode) {
                case SLOW_DRIP -> {
                    String body = "{\"access_token\":\"drip-token-abcdef\",\"token_type\":\"Bearer\",\"expires_in\":60}";
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                }
                case RESET -> connection.setSoLinger(true, 0);
                case CLOSE -> {
                }
                case HANG -> Thread.sleep(5000);
                case GARBAGE -> {
                    out.write(new byte[] { 0x16, 0x03, 0x01, 0x00, (byte) 0xff, 0x01, 0x00, 0x00 });
                    out.write("\r\n\r\nnot http at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        }
        catch (IOException ex) {
            // the client gave up first: expected for several modes
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
        }
        // a form body follows; it is small and need not be read for any mode here
    }

    @Override
    public void close() throws IOException {
        socket.close();
        executor.shutdownNow();
    }
}
