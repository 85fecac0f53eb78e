package dev.tokenstarter.token.test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * A request that reached a {@link LoopbackTokenEndpoint}'s token path (or its API, if it records API requests),
 * as it arrived.
 *
 * @param method the HTTP method
 * @param path the path and query
 * @param headers the headers, by case-insensitive name
 * @param body the body, decoded as UTF-8
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    /**
     * Keeps a copy of the headers that cannot change and looks names up case-insensitively.
     *
     * @param method the HTTP method
     * @param path the path and query
     * @param headers the headers
     * @param body the body, decoded as UTF-8
     */
    public RecordedRequest {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * The first value of a header.
     * @param name the header name, in any case
     * @return its first value, or {@code null} if the request had no such header
     */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name);
        return (values == null || values.isEmpty()) ? null : values.get(0);
    }

    /**
     * The body read as {@code application/x-www-form-urlencoded}, the way token requests are usually sent.
     * @return each parameter's first value, in the order they were sent
     */
    public Map<String, String> formParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String name = (equals < 0) ? pair : pair.substring(0, equals);
                String value = (equals < 0) ? "" : pair.substring(equals + 1);
                parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableMap(parameters);
    }
}
