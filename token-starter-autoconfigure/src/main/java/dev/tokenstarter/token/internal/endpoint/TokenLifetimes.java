package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.endpoint.MalformedTokenResponseException;

/**
 * When a token from a successful answer expires, from its declared lifetime and its JWT {@code exp} claim,
 * and when the server hints it be refreshed; each doubtful case is warned about once.
 */
final class TokenLifetimes {

    // under the parser's name, as before this was split out of it, so configured log levels still apply
    private static final Log logger = LogFactory.getLog(TokenResponseParser.class);

    /**
     * The shortest lifetime a JWT {@code exp} claim may leave. The refresh is planned at half the lifetime
     * at the latest ({@code RefreshTiming}), so it stays at least 1 s away instead of running back to back.
     */
    static final Duration MIN_JWT_LIFETIME = Duration.ofSeconds(2);

    private final TokenResponseFormat format;

    private final @Nullable ResponseField expiresIn;

    private final @Nullable ResponseField expiresAt;

    private final @Nullable ResponseField refreshIn;

    private final AtomicBoolean shortJwtWarned = new AtomicBoolean();

    private final AtomicBoolean invalidHintWarned = new AtomicBoolean();

    TokenLifetimes(TokenResponseFormat format) {
        this.format = format;
        this.expiresIn = ResponseField.of(format.expiresIn());
        this.expiresAt = ResponseField.of(format.expiresAt());
        this.refreshIn = ResponseField.of(format.refreshIn());
    }

    /**
     * The expiry: {@code expires_in}, else the configured absolute field, else the default lifetime; a JWT's
     * own {@code exp} claim wins when it is earlier, since that is what the API checks. The JWT's lifetime is
     * taken in the issuer's clock when it has {@code iat}, and never shorter than {@link #MIN_JWT_LIFETIME}.
     */
    Instant expiry(ResponseDocument document, String value, Instant now) {
        RawTokenResponse response = document.response();
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

    /** The server's hint, if valid: it is optional, so a bad one is ignored rather than failing the token. */
    @Nullable Instant refreshHint(ResponseDocument document, Instant now) {
        try {
            Long seconds = document.seconds(refreshIn);
            return (seconds != null) ? now.plusSeconds(seconds) : null;
        }
        catch (MalformedTokenResponseException ex) {
            if (invalidHintWarned.compareAndSet(false, true)) {
                logger.warn("Ignoring the invalid '" + format.refreshIn() + "' of token responses from "
                        + Secrets.redact(document.response().uri()) + ": it must be a positive number of seconds; tokens are "
                        + "refreshed ahead of their expiry instead. (Logged once.)");
            }
            return null;
        }
    }

    private Instant atLeast(RawTokenResponse response, Instant jwtExpiry, Instant floor) {
        if (!jwtExpiry.isBefore(floor)) {
            return jwtExpiry;
        }
        if (shortJwtWarned.compareAndSet(false, true)) {
            logger.warn("Token responses from " + Secrets.redact(response.uri()) + " carry a JWT whose exp claim leaves "
                    + "less than " + MIN_JWT_LIFETIME.toSeconds() + " s; the lifetime is raised to that (or to expires_in "
                    + "if shorter) so that refreshes do not run back to back. Without an iat claim the lifetime is "
                    + "measured on the local clock: check that it is not ahead of the identity provider's. (Logged once.)");
        }
        return floor;
    }

    private static void checkFuture(RawTokenResponse response, Instant expiry, Instant now, String source) {
        if (!expiry.isAfter(now)) {
            throw response.malformed(source + " is not in the future: " + expiry);
        }
        if (expiry.isAfter(now.plusSeconds(TokenResponseParser.MAX_LIFETIME_SECONDS))) {
            throw response.malformed(source + " is implausibly far in the future: " + expiry + " (more than "
                    + TokenResponseParser.MAX_LIFETIME_SECONDS + " s)");
        }
    }
}
