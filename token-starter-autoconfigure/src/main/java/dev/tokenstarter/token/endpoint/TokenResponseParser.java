package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.TokenFetchException;

/**
 * Turns a token endpoint's answer into an {@link AccessToken} or a specific exception: RFC 6749 §5.1
 * success, §5.2 error, and everything that is neither. Messages describe the body (type, size, field) but
 * never quote it, since it may hold a token.
 */
final class TokenResponseParser {

    private static final Log logger = LogFactory.getLog(TokenResponseParser.class);

    /** Lifetimes beyond ten years are a bug or an attack, not a token. */
    static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();

    /**
     * The shortest lifetime a JWT {@code exp} claim may leave. The refresh is planned at half the lifetime
     * at the latest ({@code RefreshTiming}), so it stays at least 1 s away instead of running back to back.
     */
    static final Duration MIN_JWT_LIFETIME = Duration.ofSeconds(2);

    private static final int MAX_DESCRIPTION_CHARS = 200;

    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

    private static final JsonMapper JSON = JsonMapper.shared();

    private final TokenResponseFormat format;

    private final Field accessToken;

    private final @Nullable Field tokenType;

    private final @Nullable Field expiresIn;

    private final @Nullable Field expiresAt;

    private final @Nullable Field refreshToken;

    private final @Nullable Field scope;

    private final @Nullable Field refreshIn;

    private final AtomicBoolean shortJwtWarned = new AtomicBoolean();

    private final AtomicBoolean invalidHintWarned = new AtomicBoolean();

    /** A token type accepted besides the required one ({@code DPoP} for a client that sends proofs), or {@code null}. */
    private final @Nullable String alsoAccepted;

    public TokenResponseParser(TokenResponseFormat format) {
        this(format, null);
    }

    /**
     * @param format where the response keeps its fields
     * @param alsoAccepted a token type accepted besides {@link TokenResponseFormat#requiredTokenType()}, or
     * {@code null}
     */
    public TokenResponseParser(TokenResponseFormat format, @Nullable String alsoAccepted) {
        this.format = format;
        this.alsoAccepted = alsoAccepted;
        this.accessToken = Objects.requireNonNull(Field.of(format.accessToken()), "an access token field is required");
        this.tokenType = Field.of(format.tokenType());
        this.expiresIn = Field.of(format.expiresIn());
        this.expiresAt = Field.of(format.expiresAt());
        this.refreshToken = Field.of(format.refreshToken());
        this.scope = Field.of(format.scope());
        this.refreshIn = Field.of(format.refreshIn());
    }

    /**
     * Parses a response.
     * @param uri the endpoint that answered (for messages)
     * @param status the HTTP status
     * @param contentType the {@code Content-Type} header value, or {@code null}
     * @param body the body, possibly empty
     * @param sentAt when the request was sent: the token's issue instant, from which {@code expires_in}
     * counts (the endpoint started counting before its answer arrived)
     * @param secrets the secret values of the request (credentials, refresh token, extra parameter and
     * header values), masked wherever an OAuth error description repeats one
     * @return the token
     * @throws TokenFetchException (or a subclass) describing why the response is not a token
     */
    public AccessToken parse(URI uri, int status, @Nullable String contentType, byte[] body, Instant sentAt,
            Collection<String> secrets) {
        Response response = new Response(uri, status, contentType, body, secrets);
        if (status < 200 || status > 299) {
            throw errorFor(response);
        }
        Document document = new Document(response, readObject(response));
        if (isMissing(document.node(accessToken)) && document.root.path("error").isString()) {
            throw oauthError(response, document.root);
        }
        String value = requiredToken(document);
        String type = checkedTokenType(document);
        Instant expiry = expiry(document, value, sentAt);
        String refresh = document.string(refreshToken);
        if (refresh != null) {
            requireHeaderSafe(response, refresh, refreshToken);
        }
        return new AccessToken(value, type, sentAt, expiry, refresh, document.scopes(scope),
                refreshHint(document, sentAt));
    }

    private TokenFetchException errorFor(Response response) {
        JsonNode root = tryReadObject(response.body);
        if (root != null && root.path("error").isString()) {
            return oauthError(response, root);
        }
        FailureKind kind = (response.status >= 400 && response.status < 500) ? FailureKind.CLIENT_ERROR
                : FailureKind.SERVER_ERROR;
        String what = (response.status >= 300 && response.status < 400) ? "redirect, not followed"
                : "not an OAuth error response";
        return new TokenFetchException(kind, response.uri, response.status, what + " (" + response.describeBody() + ")",
                null);
    }

    private OAuthErrorException oauthError(Response response, JsonNode root) {
        String code = sanitize(root.path("error").stringValue());
        JsonNode description = root.path("error_description");
        // An endpoint may echo what it rejected: mask before the cap, which could cut a secret in two
        return new OAuthErrorException(response.uri, response.status, code,
                description.isString() ? sanitize(masked(description.stringValue(), response.secrets)) : null);
    }

    /** {@code text} with every occurrence of a secret masked, longest first so none is masked only in part. */
    static String masked(String text, Collection<String> secrets) {
        List<String> longestFirst = secrets.stream()
            .filter((secret) -> !secret.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
        for (String secret : longestFirst) {
            text = text.replace(secret, Secrets.mask(secret));
        }
        return text;
    }

    private JsonNode readObject(Response response) {
        if (response.body.length == 0) {
            throw malformed(response, "empty body, expected a JSON token response");
        }
        if (response.contentType != null && response.contentType.toLowerCase(Locale.ROOT).contains("html")) {
            throw malformed(response, "an HTML page instead of a JSON token response (" + response.describeBody() + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body);
        }
        catch (JacksonException ex) {
            // The parser's own message may quote the body: report only where it broke.
            throw malformed(response, "body is not valid JSON (" + response.describeBody() + ", error at "
                    + ex.getLocation() + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed(response, "body is JSON but not an object (" + response.describeBody() + ")");
        }
        return root;
    }

    private static JsonNode tryReadObject(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            return (root != null && root.isObject()) ? root : null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private String requiredToken(Document document) {
        String value = document.string(accessToken);
        if (value == null) {
            throw malformed(document.response, "missing " + accessToken);
        }
        if (value.isBlank()) {
            throw malformed(document.response, accessToken + " is empty");
        }
        requireHeaderSafe(document.response, value, accessToken);
        return value;
    }

    private void requireHeaderSafe(Response response, String value, Field field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw malformed(response, field + " contains a control, whitespace or non-ASCII character"
                        + " at index " + i + " (code " + (int) c + "); rejected so it cannot inject HTTP headers");
            }
        }
    }

    private String checkedTokenType(Document document) {
        String type = document.string(tokenType);
        String required = format.requiredTokenType();
        if (type == null) {
            // Many endpoints omit token_type; the configured type is what they mean.
            return (required != null) ? required : "Bearer";
        }
        if (required != null && !required.equalsIgnoreCase(type) && !type.equalsIgnoreCase(alsoAccepted)) {
            throw malformed(document.response, "token type '" + sanitize(type) + "' is not the expected '" + required
                    + "' (set the required token type if this API uses another)");
        }
        return type;
    }

    /**
     * The expiry: {@code expires_in}, else the configured absolute field, else the default lifetime; a JWT's
     * own {@code exp} claim wins when it is earlier, since that is what the API checks. The JWT's lifetime is
     * taken in the issuer's clock when it has {@code iat}, and never shorter than {@link #MIN_JWT_LIFETIME}.
     */
    private Instant expiry(Document document, String value, Instant now) {
        Response response = document.response;
        Long seconds = document.seconds(expiresIn);
        Instant declared = (seconds != null) ? now.plusSeconds(seconds) : document.instant(expiresAt);
        if (declared != null) {
            checkFuture(response, declared, now, String.valueOf((seconds != null) ? expiresIn : expiresAt));
        }
        JwtExpiry jwt = JwtExpiry.of(value);
        Instant jwtExpiry = (jwt != null) ? jwt.localExpiry(now) : null;
        if (declared != null) {
            // exp only caps a declared lifetime; an exp in the past then means clock skew, not a bad token
            if (jwtExpiry == null || !jwtExpiry.isAfter(now) || !jwtExpiry.isBefore(declared)) {
                return declared;
            }
            Instant floor = now.plus(MIN_JWT_LIFETIME);
            return atLeast(response, jwtExpiry, floor.isBefore(declared) ? floor : declared);
        }
        if (jwtExpiry != null) {
            checkFuture(response, jwtExpiry, now, "no expires_in, and the token's JWT exp claim");
            return atLeast(response, jwtExpiry, now.plus(MIN_JWT_LIFETIME));
        }
        return now.plus(format.defaultLifetime());
    }

    private Instant atLeast(Response response, Instant jwtExpiry, Instant floor) {
        if (!jwtExpiry.isBefore(floor)) {
            return jwtExpiry;
        }
        if (shortJwtWarned.compareAndSet(false, true)) {
            logger.warn("Token responses from " + Secrets.redact(response.uri) + " carry a JWT whose exp claim leaves "
                    + "less than " + MIN_JWT_LIFETIME.toSeconds() + " s; the lifetime is raised to that (or to expires_in "
                    + "if shorter) so that refreshes do not run back to back. Without an iat claim the lifetime is "
                    + "measured on the local clock: check that it is not ahead of the identity provider's. (Logged once.)");
        }
        return floor;
    }

    private void checkFuture(Response response, Instant expiry, Instant now, String source) {
        if (!expiry.isAfter(now)) {
            throw malformed(response, source + " is not in the future: " + expiry);
        }
        if (expiry.isAfter(now.plusSeconds(MAX_LIFETIME_SECONDS))) {
            throw malformed(response, source + " is implausibly far in the future: " + expiry + " (more than "
                    + MAX_LIFETIME_SECONDS + " s)");
        }
    }

    /** A number or numeric string as whole seconds, decimals rounded down ({@code 3600.5}); else {@code null}. */
    private static Long wholeSeconds(JsonNode node) {
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

    private static Long floor(BigDecimal value) {
        // checked before rounding, which would spell out all the digits of 1e999999999
        if (value.abs().compareTo(MAX_LONG) >= 0) {
            return null;
        }
        return value.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** The server's hint, if valid: it is optional, so a bad one is ignored rather than failing the token. */
    private @Nullable Instant refreshHint(Document document, Instant now) {
        try {
            Long seconds = document.seconds(refreshIn);
            return (seconds != null) ? now.plusSeconds(seconds) : null;
        }
        catch (MalformedTokenResponseException ex) {
            if (invalidHintWarned.compareAndSet(false, true)) {
                logger.warn("Ignoring the invalid '" + format.refreshIn() + "' of token responses from "
                        + Secrets.redact(document.response.uri) + ": it must be a positive number of seconds; tokens are "
                        + "refreshed ahead of their expiry instead. (Logged once.)");
            }
            return null;
        }
    }

    private static boolean isMissing(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static String describe(JsonNode node) {
        // The type only: the value may be a secret.
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static MalformedTokenResponseException malformed(Response response, String problem) {
        return new MalformedTokenResponseException(response.uri, response.status, problem);
    }

    static String sanitize(String text) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_DESCRIPTION_CHARS));
        for (int i = 0; i < text.length() && clean.length() < MAX_DESCRIPTION_CHARS; i++) {
            char c = text.charAt(i);
            clean.append((c < 0x20 || c == 0x7F) ? '?' : c);
        }
        return (text.length() > MAX_DESCRIPTION_CHARS) ? clean + "…" : clean.toString();
    }


    private record Response(URI uri, int status, @Nullable String contentType, byte[] body, Collection<String> secrets) {

        String describeBody() {
            String type = (contentType != null) ? sanitize(contentType) : "no content type";
            return type + ", " + body.length + " bytes";
        }
    }

    /** A configured response field: its name as configured (for messages) and where it sits in the JSON. */
    private record Field(String name, JsonPointer pointer) {

        /** The field called {@code name} (a top-level name, or a JSON pointer), or null if not configured. */
        static @Nullable Field of(@Nullable String name) {
            if (name == null || name.isEmpty()) {
                return null;
            }
            return new Field(name, name.startsWith("/") ? JsonPointer.compile(name)
                    : JsonPointer.compile("/" + name.replace("~", "~0").replace("/", "~1")));
        }

        @Override
        public String toString() {
            return "field '" + name + "'";
        }
    }

    /** A successful answer's JSON object, read field by field; what is wrong is reported against the answer. */
    private record Document(Response response, JsonNode root) {

        JsonNode node(@Nullable Field field) {
            return (field != null) ? root.at(field.pointer()) : MissingNode.getInstance();
        }

        @Nullable String string(@Nullable Field field) {
            JsonNode node = node(field);
            if (isMissing(node)) {
                return null;
            }
            if (!node.isString()) {
                throw malformed(response, field + " must be a string, was " + describe(node));
            }
            return node.stringValue();
        }

        @Nullable Long seconds(@Nullable Field field) {
            JsonNode node = node(field);
            if (isMissing(node)) {
                return null;
            }
            Long seconds = wholeSeconds(node);
            if (seconds == null) {
                throw malformed(response, field + " must be a whole number of seconds, was " + describe(node));
            }
            if (seconds <= 0) {
                throw malformed(response, field + " must be positive, was " + seconds);
            }
            if (seconds > MAX_LIFETIME_SECONDS) {
                throw malformed(response, field + " is implausibly large: " + seconds + " s (more than "
                        + MAX_LIFETIME_SECONDS + " s)");
            }
            return seconds;
        }

        @Nullable Instant instant(@Nullable Field field) {
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
            throw malformed(response, field + " must be epoch seconds or an ISO-8601 instant, was " + describe(node));
        }

        Set<String> scopes(@Nullable Field field) {
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
                        throw malformed(response, field + " must hold strings, found " + describe(element));
                    }
                    result.add(element.stringValue());
                }
                return result;
            }
            throw malformed(response, field + " must be a string or an array, was " + describe(node));
        }
    }
}
