package dev.tokenstarter.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No {@code .java} file under {@code src/main} of the published modules is over 400 lines (issue 23: one idea per
 * class). Before it, {@code TokenClientProperties} had 1,163 lines and {@code SharedTokens} 776.
 */
class SourceFileSizeTest {

    private static final int MAX_LINES = 400;

    @Test
    void noMainSourceFileOfThePublishedModulesIsOver400Lines() throws IOException {
        for (String module : List.of("token-starter-autoconfigure", "token-starter-test")) {
            Path main = Path.of("..", module, "src", "main", "java");
            assertThat(main).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                List<String> tooLong = files.filter((file) -> file.toString().endsWith(".java"))
                    .filter((file) -> lines(file) > MAX_LINES)
                    .map((file) -> main.relativize(file) + " (" + lines(file) + " lines)")
                    .toList();
                assertThat(tooLong).as("files over %d lines in %s", MAX_LINES, module).isEmpty();
            }
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
