package dev.tokenstarter.benchmarks.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A three-master Redis Cluster on free loopback ports, without persistence, made as the Debian package allows:
 * three {@code redis-server --cluster-enabled yes}, then {@code redis-cli --cluster create … --cluster-replicas
 * 0 --cluster-yes}. Started when a benchmark runs (never by the build), stopped by {@link #close()}.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<Integer> ports = new ArrayList<>();

    private final List<Process> nodes = new ArrayList<>();

    private RedisClusterProcess(Path server, Path cli) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("bench-redis-cluster");
        for (int i = 0; i < 3; i++) {
            int port = freePortWithBus();
            ports.add(port);
            nodes.add(new ProcessBuilder(List.of(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file",
                    dir.resolve("nodes-" + port + ".conf").toString(), "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node-" + port + ".log").toFile())
                .start());
        }
        try {
            for (int port : ports) {
                await(cli, List.of("-p", String.valueOf(port), "PING"), "PONG");
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            ports.forEach((port) -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String created = run(cli, create);
            if (!created.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + created);
            }
            for (int port : ports) {
                await(cli, List.of("-p", String.valueOf(port), "CLUSTER", "INFO"), "cluster_state:ok");
            }
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            close(); // no node outlives a cluster that did not form
            throw ex;
        }
    }

    /**
     * Starts the cluster with {@code redis-server} and {@code redis-cli} from where {@link RedisProcess} finds
     * {@code redis-server}.
     * @throws IllegalStateException if either is not installed, saying how to install them
     */
    public static RedisClusterProcess start() throws IOException, InterruptedException {
        Path server = RedisProcess.binary();
        Path cli = server.resolveSibling("redis-cli");
        if (!Files.isExecutable(cli)) {
            throw new IllegalStateException("This benchmark needs redis-cli beside " + server + " to create a Redis "
                    + "Cluster. Install it (Debian/Ubuntu: apt-get install -y redis-tools) and run it again.");
        }
        return new RedisClusterProcess(server, cli);
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /**
     * A started Lettuce connection factory for this cluster, as Spring Boot builds one from
     * {@code spring.data.redis.cluster.nodes}.
     * @return the factory; {@code destroy()} it when done
     */
    public LettuceConnectionFactory connectionFactory() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(ports.stream().map((port) -> "127.0.0.1:" + port).toList()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @Override
    public void close() {
        nodes.forEach(Process::destroy);
        for (Process node : nodes) {
            try {
                if (!node.waitFor(5, TimeUnit.SECONDS)) {
                    node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void await(Path cli, List<String> command, String expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String answer = "";
        while (System.nanoTime() < deadline) {
            answer = run(cli, command);
            if (answer.contains(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-cli " + String.join(" ", command) + " answered '" + answer.trim() + "'");
    }

    private static String run(Path cli, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** A free port whose cluster bus port (the port plus 10000) is free too. */
    private static int freePortWithBus() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 55000);
            if (free(port) && free(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) for a Redis Cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
