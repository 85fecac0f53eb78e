package dev.tokenstarter.token.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The corpus of malformed and hostile token responses under {@code src/test/resources/token-responses}: each
 * file holds a few header lines ({@code status}, {@code content-type}, {@code expect: ExceptionType: message
 * fragment}), a line {@code ---}, then the raw body.
 */
public final class TokenCorpus {

    private static final Path DIRECTORY = Path.of("src/test/resources/token-responses");

    private TokenCorpus() {
    }

    public static Stream<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter((path) -> path.toString().endsWith(".http")).sorted().toList().stream();
        }
    }

    public static Case read(Path path) {
        try {
            // the body may be any bytes (binary, invalid UTF-8): only the header part is read as text
            byte[] raw = Files.readAllBytes(path);
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\n---\n");
            String[] headers = text.substring(0, split).split("\n");
            String expect = value(headers, "expect");
            String contentType = value(headers, "content-type");
            return new Case(Integer.parseInt(value(headers, "status")), contentType.isEmpty() ? null : contentType,
                    expect.substring(0, expect.indexOf(':')), expect.substring(expect.indexOf(':') + 1).trim(),
                    Arrays.copyOfRange(raw, split + 5, raw.length));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String value(String[] headers, String name) {
        for (String header : headers) {
            if (header.startsWith(name + ":")) {
                return header.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("corpus file lacks '" + name + ":'");
    }

    /**
     * One corpus response and the error it must produce.
     *
     * @param status the HTTP status
     * @param contentType the content type, or {@code null} for none
     * @param expectedType the simple name of the expected exception class
     * @param expectedMessage a fragment the exception message must contain
     * @param body the raw body
     */
    public record Case(int status, String contentType, String expectedType, String expectedMessage, byte[] body) {

        private static final Pattern TOKEN = Pattern.compile("\"(?:access|refresh)_token\"\\s*:\\s*\"([^\"\\\\]{6,})");

        /** Token values (up to their first escape) in the body: none of them may show up in an error message. */
        public List<String> tokenValues() {
            Matcher matcher = TOKEN.matcher(new String(body, StandardCharsets.UTF_8));
            List<String> values = new ArrayList<>();
            while (matcher.find()) {
                values.add(matcher.group(1));
            }
            return values;
        }
    }
}
