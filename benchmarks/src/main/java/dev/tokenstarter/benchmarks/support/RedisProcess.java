package dev.tokenstarter.benchmarks.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for the benchmarks that share a
 * token: started when a benchmark runs (never by the build), stopped by {@link #close()}.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;

    private final Process process;

    private RedisProcess(Path binary) throws IOException, InterruptedException {
        this.port = freePort();
        Path log = Files.createTempFile("bench-redis-" + port, ".log");
        this.process = new ProcessBuilder(List.of(binary.toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no")).redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pings()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not start on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /**
     * Starts {@code redis-server} from the PATH, /usr/bin or /usr/local/bin.
     * @return the running server
     * @throws IllegalStateException if it is not installed, saying how to install it
     */
    public static RedisProcess start() throws IOException, InterruptedException {
        return new RedisProcess(binary());
    }

    /**
     * The {@code redis-server} binary on the PATH, in /usr/bin or /usr/local/bin.
     * @throws IllegalStateException if it is not installed, saying how to install it
     */
    static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator
                + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("This benchmark needs a real Redis, but redis-server was found neither on the "
                + "PATH nor in /usr/bin or /usr/local/bin. Install it (Debian/Ubuntu: apt-get install -y redis-server) "
                + "and run it again.");
    }

    public int port() {
        return port;
    }

    /**
     * A started Lettuce connection factory for this server, as Spring Boot would build one for each instance.
     * @return the factory; {@code destroy()} it when done
     */
    public LettuceConnectionFactory connectionFactory() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean pings() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            return in.readNBytes(answer, 0, 7) == 7 && new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
