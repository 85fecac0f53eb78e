package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenFetchException;

/**
 * Turns a token endpoint's answer into an {@link AccessToken} or a specific exception: RFC 6749 §5.1
 * success, §5.2 error, and everything that is neither. Messages describe the body (type, size, field) but
 * never quote it, since it may hold a token.
 */
final class TokenResponseParser {

    /** Lifetimes beyond ten years are a bug or an attack, not a token. */
    static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();

    private final TokenResponseFormat format;

    private final ResponseField accessToken;

    private final @Nullable ResponseField tokenType;

    private final @Nullable ResponseField refreshToken;

    private final @Nullable ResponseField scope;

    private final TokenLifetimes lifetimes;

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
        this.accessToken = Objects.requireNonNull(ResponseField.of(format.accessToken()),
                "an access token field is required");
        this.tokenType = ResponseField.of(format.tokenType());
        this.refreshToken = ResponseField.of(format.refreshToken());
        this.scope = ResponseField.of(format.scope());
        this.lifetimes = new TokenLifetimes(format);
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
        RawTokenResponse response = new RawTokenResponse(uri, status, contentType, body, secrets);
        if (status < 200 || status > 299) {
            throw TokenErrorResponses.errorFor(response);
        }
        ResponseDocument document = ResponseDocument.read(response);
        if (document.isMissing(accessToken) && document.root().path("error").isString()) {
            throw TokenErrorResponses.oauthError(response, document.root());
        }
        String value = requiredToken(document);
        String type = checkedTokenType(document);
        Instant expiry = lifetimes.expiry(document, value, sentAt);
        String refresh = document.string(refreshToken);
        if (refresh != null) {
            requireHeaderSafe(response, refresh, refreshToken);
        }
        return new AccessToken(value, type, sentAt, expiry, refresh, document.scopes(scope),
                lifetimes.refreshHint(document, sentAt));
    }

    private String requiredToken(ResponseDocument document) {
        String value = document.string(accessToken);
        if (value == null) {
            throw document.response().malformed("missing " + accessToken);
        }
        if (value.isBlank()) {
            throw document.response().malformed(accessToken + " is empty");
        }
        requireHeaderSafe(document.response(), value, accessToken);
        return value;
    }

    private static void requireHeaderSafe(RawTokenResponse response, String value, @Nullable ResponseField field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw response.malformed(field + " contains a control, whitespace or non-ASCII character"
                        + " at index " + i + " (code " + (int) c + "); rejected so it cannot inject HTTP headers");
            }
        }
    }

    private String checkedTokenType(ResponseDocument document) {
        String type = document.string(tokenType);
        String required = format.requiredTokenType();
        if (type == null) {
            // Many endpoints omit token_type; the configured type is what they mean.
            return (required != null) ? required : "Bearer";
        }
        if (required != null && !required.equalsIgnoreCase(type) && !type.equalsIgnoreCase(alsoAccepted)) {
            throw document.response().malformed("token type '" + QuotedText.sanitize(type) + "' is not the expected '"
                    + required + "' (set the required token type if this API uses another)");
        }
        return type;
    }
}
