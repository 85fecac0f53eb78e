package dev.tokenstarter.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample, AOT-processed by the build ({@code process-aot}), started in AOT mode
 * ({@code -Dspring.aot.enabled=true}) as a separate JVM, as a native image would run the same generated
 * code: each of its three clients (the primary {@code api}, {@code billing} and {@code inventory}) fetches a
 * token and calls its API through its WebClient and its RestClient, and the {@code @HttpExchange} client of the
 * {@code inventory} group does too.
 */
class SampleAotIT {

    @Test
    void theAotProcessedSampleCallsEveryApiThroughEveryClient() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).exists();
        assertThat(Path.of(System.getProperty("sample.aot-sources", "target/spring-aot/main/sources"))).isDirectory();
        Path log = Files.createTempFile("sample-aot", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(List.of(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
                "--sample.self-check=true", "--server.port=" + freePort(), "--sample.initial-delay=1h"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the self-check exits within 90 s; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("Starting AOT-processed SampleApplication");
        for (String client : new String[] { "api", "billing", "inventory" }) {
            assertThat(output).contains("self-check: " + client + " WebClient OK")
                .contains("self-check: " + client + " RestClient OK");
        }
        assertThat(output).contains("self-check: inventory HTTP service OK");
        assertThat(output).contains("self-check: 3 client(s), 0 failed call(s)").doesNotContain("demo-only-secret");
        new File(log.toString()).delete();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
