package dev.tokenstarter.check;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The repackaged application jar running in a child JVM ({@code java -jar}, the JVM running the tests), on a
 * free port: only what the jar holds is on its class path, so nothing from the test class path can stand in
 * for a missing runtime dependency. {@link #close()} always ends it.
 */
final class AppProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;

    private final Path log;

    private final int port;

    private AppProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the jar with these {@code --name=value} arguments; its output goes to a file, read by {@link #output()}. */
    static AppProcess start(Path jar, List<String> arguments) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        Path log = Files.createTempFile("installed-app", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(process, log, port);
    }

    /** Polls {@code /actuator/health} until it answers UP; fails when the JVM exits or the limit passes first. */
    JsonNode awaitHealthUp() throws Exception {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited with code " + process.exitValue() + " before it was UP");
            }
            try {
                HttpResponse<String> response = get("/actuator/health");
                last = response.statusCode() + " " + response.body();
                JsonNode health = JsonMapper.shared().readTree(response.body());
                if (response.statusCode() == 200 && "UP".equals(health.path("status").asString())) {
                    return health;
                }
            }
            catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/actuator/health not UP within " + STARTUP_LIMIT + "; last answer: " + last);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        return JsonMapper.shared().readTree(get(path).body());
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Ends the JVM (forcibly if it does not stop within 10 s) and deletes its log. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
