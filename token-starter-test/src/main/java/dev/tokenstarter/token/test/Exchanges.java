package dev.tokenstarter.token.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;

/**
 * What the token path and the API do alike with an exchange: read its bearer token, send an answer.
 */
final class Exchanges {

    private Exchanges() {
    }

    /** The token of an {@code Authorization: Bearer} header value, or {@code null} for any other. */
    static @Nullable String bearerToken(@Nullable String authorization) {
        String scheme = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        return authorization.substring(scheme.length()).trim();
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        catch (IOException ex) {
            // the client timed out and left
        }
    }
}
