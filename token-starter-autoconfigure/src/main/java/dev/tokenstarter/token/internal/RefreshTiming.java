package dev.tokenstarter.token.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.tokenstarter.token.AccessToken;

/**
 * When a token is refreshed, as two margins before its expiry (the model Google's and Azure's clients use):
 * from {@code expiresAt - refreshBefore} a background refresh starts while callers keep the cached token;
 * from {@code expiresAt - expiryMargin} callers wait for a new token. Both margins are capped by the token's
 * lifetime so that short-lived tokens are not refreshed on every call.
 *
 * @param refreshBefore how long before expiry a background refresh starts
 * @param expiryMargin how long before expiry the token is no longer handed out
 * @param waitTimeout how long a blocking caller waits for an in-flight fetch
 */
public record RefreshTiming(Duration refreshBefore, Duration expiryMargin, Duration waitTimeout) {

    /** 60 s refresh window, 5 s expiry margin, 30 s wait. */
    public static final RefreshTiming DEFAULTS = new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    public RefreshTiming {
        requireNonNegative(refreshBefore, "refreshBefore");
        requireNonNegative(expiryMargin, "expiryMargin");
        requireNonNegative(waitTimeout, "waitTimeout");
        if (expiryMargin.compareTo(refreshBefore) > 0) {
            throw new IllegalArgumentException("expiryMargin (" + expiryMargin + ") must not exceed refreshBefore ("
                    + refreshBefore + ")");
        }
    }

    /**
     * The instant from which a background refresh should start: {@code expiresAt} minus
     * {@code refreshBefore} capped at half the lifetime, or the server's refresh hint if that is earlier.
     */
    public Instant refreshAt(AccessToken token) {
        Duration lifetime = token.lifetime();
        Duration margin = min(refreshBefore, lifetime.dividedBy(2));
        Instant at = token.expiresAt().minus(max(margin, effectiveExpiryMargin(lifetime)));
        Instant hint = token.refreshHint();
        return (hint != null && hint.isBefore(at) && hint.isAfter(token.issuedAt())) ? hint : at;
    }

    /** The instant from which the token is no longer handed out: {@code expiresAt} minus the capped expiry margin. */
    public Instant usableUntil(AccessToken token) {
        return token.expiresAt().minus(effectiveExpiryMargin(token.lifetime()));
    }

    private Duration effectiveExpiryMargin(Duration lifetime) {
        return min(expiryMargin, lifetime.dividedBy(4));
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return (a.compareTo(b) >= 0) ? a : b;
    }

    private static void requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
