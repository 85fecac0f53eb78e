package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A successful answer's JSON object, read field by field as a string, whole seconds, an instant or scopes;
 * what is wrong is reported against the answer, naming the field and the JSON type found, never the value.
 */
record ResponseDocument(RawTokenResponse response, JsonNode root) {

    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

    /** The answer's body as a JSON object; it must be one, and not an HTML page. */
    static ResponseDocument read(RawTokenResponse response) {
        if (response.body().length == 0) {
            throw response.malformed("empty body, expected a JSON token response");
        }
        if (response.contentType() != null && response.contentType().toLowerCase(Locale.ROOT).contains("html")) {
            throw response.malformed("an HTML page instead of a JSON token response (" + response.describeBody() + ")");
        }
        JsonNode root;
        try {
            root = JsonMapper.shared().readTree(response.body());
        }
        catch (JacksonException ex) {
            // The parser's own message may quote the body: report only where it broke.
            throw response.malformed("body is not valid JSON (" + response.describeBody() + ", error at "
                    + ex.getLocation() + ")");
        }
        if (root == null || !root.isObject()) {
            throw response.malformed("body is JSON but not an object (" + response.describeBody() + ")");
        }
        return new ResponseDocument(response, root);
    }

    JsonNode node(@Nullable ResponseField field) {
        return (field != null) ? root.at(field.pointer()) : MissingNode.getInstance();
    }

    boolean isMissing(@Nullable ResponseField field) {
        return isMissing(node(field));
    }

    @Nullable String string(@Nullable ResponseField field) {
        JsonNode node = node(field);
        if (isMissing(node)) {
            return null;
        }
        if (!node.isString()) {
            throw response.malformed(field + " must be a string, was " + describe(node));
        }
        return node.stringValue();
    }

    @Nullable Long seconds(@Nullable ResponseField field) {
        JsonNode node = node(field);
        if (isMissing(node)) {
            return null;
        }
        Long seconds = wholeSeconds(node);
        if (seconds == null) {
            throw response.malformed(field + " must be a whole number of seconds, was " + describe(node));
        }
        if (seconds <= 0) {
            throw response.malformed(field + " must be positive, was " + seconds);
        }
        if (seconds > TokenResponseParser.MAX_LIFETIME_SECONDS) {
            throw response.malformed(field + " is implausibly large: " + seconds + " s (more than "
                    + TokenResponseParser.MAX_LIFETIME_SECONDS + " s)");
        }
        return seconds;
    }

    @Nullable Instant instant(@Nullable ResponseField field) {
        JsonNode node = node(field);
        if (isMissing(node)) {
            return null;
        }
        try {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return Instant.ofEpochSecond(node.longValue());
            }
            if (node.isString()) {
                String text = node.stringValue().trim();
                return text.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(text)) : Instant.parse(text);
            }
        }
        catch (DateTimeException ex) {
            // fall through to the message below
        }
        throw response.malformed(field + " must be epoch seconds or an ISO-8601 instant, was " + describe(node));
    }

    Set<String> scopes(@Nullable ResponseField field) {
        JsonNode node = node(field);
        if (isMissing(node)) {
            return Set.of();
        }
        Set<String> result = new LinkedHashSet<>();
        if (node.isString()) {
            for (String part : node.stringValue().trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    result.add(part);
                }
            }
            return result;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!element.isString()) {
                    throw response.malformed(field + " must hold strings, found " + describe(element));
                }
                result.add(element.stringValue());
            }
            return result;
        }
        throw response.malformed(field + " must be a string or an array, was " + describe(node));
    }

    /** A number or numeric string as whole seconds, decimals rounded down ({@code 3600.5}); else {@code null}. */
    private static @Nullable Long wholeSeconds(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue() : null;
        }
        if (node.isNumber()) {
            try {
                return floor(node.decimalValue());
            }
            catch (JacksonException ex) {
                return null; // a double that overflowed to infinity
            }
        }
        if (node.isString() && node.stringValue().trim().matches("[+-]?\\d{1,18}(\\.\\d{1,18})?")) {
            return floor(new BigDecimal(node.stringValue().trim()));
        }
        return null;
    }

    private static @Nullable Long floor(BigDecimal value) {
        // checked before rounding, which would spell out all the digits of 1e999999999
        if (value.abs().compareTo(MAX_LONG) >= 0) {
            return null;
        }
        return value.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private static boolean isMissing(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static String describe(JsonNode node) {
        // The type only: the value may be a secret.
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
