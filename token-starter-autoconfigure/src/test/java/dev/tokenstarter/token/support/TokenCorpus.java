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
 * The corpus of malformed, hostile and odd token responses under {@code src/test/resources/token-responses}:
 * each file holds a few header lines ({@code status}, {@code content-type}, and either {@code expect:
 * ExceptionType: message fragment} or, for an odd answer that must still give a token, {@code expect:
 * accepted} with {@code lifetime: seconds}), a line {@code ---}, then the raw body.
 */
public final class TokenCorpus {

    private static final Path DIRECTORY = Path.of("src/test/resources/token-responses");

    private static final String ACCEPTED = "accepted";

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
            int status = Integer.parseInt(value(headers, "status"));
            byte[] body = Arrays.copyOfRange(raw, split + 5, raw.length);
            if (expect.equals(ACCEPTED)) {
                return new Case(status, contentType.isEmpty() ? null : contentType, ACCEPTED, "",
                        Long.parseLong(value(headers, "lifetime")), body);
            }
            return new Case(status, contentType.isEmpty() ? null : contentType, expect.substring(0, expect.indexOf(':')),
                    expect.substring(expect.indexOf(':') + 1).trim(), 0, body);
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
     * One corpus response and the error it must produce, or the lifetime of the token it must give.
     *
     * @param status the HTTP status
     * @param contentType the content type, or {@code null} for none
     * @param expectedType the simple name of the expected exception class, or {@code accepted}
     * @param expectedMessage a fragment the exception message must contain (empty when accepted)
     * @param lifetimeSeconds the lifetime of the token when accepted
     * @param body the raw body
     */
    public record Case(int status, String contentType, String expectedType, String expectedMessage,
            long lifetimeSeconds, byte[] body) {

        private static final Pattern TOKEN = Pattern.compile("\"(?:access|refresh)_token\"\\s*:\\s*\"([^\"\\\\]{6,})");

        /** Whether this odd response must still give a token. */
        public boolean accepted() {
            return ACCEPTED.equals(expectedType);
        }

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
