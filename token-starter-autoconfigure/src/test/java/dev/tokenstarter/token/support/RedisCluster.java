package dev.tokenstarter.token.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A three-master Redis Cluster on free loopback ports, as the Debian package {@code redis-server} makes one:
 * three {@code redis-server --cluster-enabled yes} and {@code redis-cli --cluster create … --cluster-replicas 0
 * --cluster-yes}; started before the test class, stopped after it. Where {@code redis-server} or
 * {@code redis-cli} is missing, the tests are reported as skipped with the reason, never as passed.
 * Registered with {@code @RegisterExtension static final RedisCluster cluster = new RedisCluster();}.
 */
public final class RedisCluster implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final int MASTERS = 3;

    private final List<Process> nodes = new ArrayList<>();

    private final List<Integer> ports = new ArrayList<>();

    private Path dir;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (RedisServer.binary().isEmpty()) {
            return ConditionEvaluationResult.disabled("redis-server is not installed (apt-get install -y redis-server; "
                    + ".ci/run does so): the tests against a real Redis Cluster are skipped");
        }
        if (cli().isEmpty()) {
            return ConditionEvaluationResult.disabled("redis-cli is not installed (it comes with the Debian package "
                    + "redis-server, which .ci/run installs): the tests against a real Redis Cluster are skipped");
        }
        return ConditionEvaluationResult.enabled("redis-server and redis-cli found");
    }

    /** Stops the nodes if the test JVM ends without afterAll (a killed fork must not leave them running). */
    private final Thread stopOnExit = new Thread(this::stopNodes, "redis-cluster-stop");

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        dir = Files.createTempDirectory("redis-cluster");
        Path server = RedisServer.binary().orElseThrow();
        for (int i = 0; i < MASTERS; i++) {
            int port = freePortWithBus();
            ports.add(port);
            nodes.add(new ProcessBuilder(List.of(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--cluster-enabled", "yes", "--cluster-config-file",
                    dir.resolve("nodes-" + port + ".conf").toString(), "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node-" + port + ".log").toFile())
                .start());
        }
        for (int port : ports) {
            awaitAnswer(List.of("-p", String.valueOf(port), "PING"), "PONG");
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        ports.forEach((port) -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String created = cli(create);
        if (!created.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + created);
        }
        for (int port : ports) {
            awaitAnswer(List.of("-p", String.valueOf(port), "CLUSTER", "INFO"), "cluster_state:ok");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stopNodes();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
        catch (IllegalStateException ex) {
            // the JVM is shutting down already
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
            }
        }
    }

    private void stopNodes() {
        for (Process node : nodes) {
            node.destroy();
        }
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
        nodes.clear();
        ports.clear();
    }

    /** The nodes' ports. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** What an application sets to use this cluster: Spring Boot's {@code spring.data.redis.cluster.nodes}. */
    public List<String> properties() {
        return List.of("spring.data.redis.cluster.nodes="
                + ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(",")));
    }

    /** The hash slot of {@code key}, as the cluster computes it ({@code CLUSTER KEYSLOT}). */
    public int keySlot(String key) throws IOException, InterruptedException {
        return Integer.parseInt(cli(List.of("-p", String.valueOf(ports.get(0)), "CLUSTER", "KEYSLOT", key)).trim());
    }

    /** The keys matching {@code pattern} on each node, by the node's port ({@code SCAN} on every node). */
    public Map<Integer, List<String>> keys(String pattern) throws IOException, InterruptedException {
        Map<Integer, List<String>> keys = new TreeMap<>();
        for (int port : ports) {
            List<String> found = cli(List.of("-p", String.valueOf(port), "--scan", "--pattern", pattern)).lines()
                .filter((line) -> !line.isBlank())
                .toList();
            if (!found.isEmpty()) {
                keys.put(port, found);
            }
        }
        return keys;
    }

    /** redis-cli beside redis-server, else on the PATH. */
    static Optional<Path> cli() {
        Optional<Path> beside = RedisServer.binary().map((server) -> server.resolveSibling("redis-cli"))
            .filter(Files::isExecutable);
        if (beside.isPresent()) {
            return beside;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-cli");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void awaitAnswer(List<String> command, String expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String answer = "";
        while (System.nanoTime() < deadline) {
            answer = cli(command);
            if (answer.contains(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-cli " + String.join(" ", command) + " answered '" + answer.trim()
                + "', not '" + expected + "', within 10 s; node logs in " + dir);
    }

    private static String cli(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cli().orElseThrow().toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
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
        throw new IllegalStateException("no free port pair (port, port + 10000) found for a Redis Cluster node");
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
