package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An access token as issued by a token endpoint: immutable, and safe to log ({@link #toString()}
 * masks the token and the refresh token).
 *
 * @param value the token value sent to the API
 * @param tokenType the token type as issued, e.g. {@code Bearer}
 * @param issuedAt when the token was received
 * @param expiresAt when the token stops being valid
 * @param refreshToken the refresh token issued with it, or {@code null}
 * @param scopes the granted scopes (empty when the endpoint did not say)
 * @param refreshHint when the server asked to be called again (e.g. a {@code refresh_in} field), or
 * {@code null}
 */
public record AccessToken(String value, String tokenType, Instant issuedAt, Instant expiresAt,
        @Nullable String refreshToken, Set<String> scopes, @Nullable Instant refreshHint) {

    /**
     * Checks that every required value is there and that the token expires after it was issued.
     *
     * @param value the token value sent to the API
     * @param tokenType the token type as issued
     * @param issuedAt when the token was received
     * @param expiresAt when the token stops being valid, after {@code issuedAt}
     * @param refreshToken the refresh token, or {@code null}
     * @param scopes the granted scopes, or {@code null} for none
     * @param refreshHint when the server asked to be called again, or {@code null}
     */
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt must be after issuedAt");
        }
    }

    /**
     * A token without refresh token, scopes or refresh hint.
     *
     * @param value the token value sent to the API
     * @param tokenType the token type as issued, e.g. {@code Bearer}
     * @param issuedAt when the token was received
     * @param expiresAt when the token stops being valid
     * @return the token
     */
    public static AccessToken of(String value, String tokenType, Instant issuedAt, Instant expiresAt) {
        return new AccessToken(value, tokenType, issuedAt, expiresAt, null, Set.of(), null);
    }

    /** {@return the time between issue and expiry} */
    public Duration lifetime() {
        return Duration.between(issuedAt, expiresAt);
    }

    /**
     * {@return whether the token has expired at {@code now}}
     *
     * @param now the current time
     */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** {@return whether a refresh token came with this token} */
    public boolean hasRefreshToken() {
        return refreshToken != null;
    }

    /**
     * {@return a copy that carries {@code refreshToken}} Used to keep a refresh token the server did not rotate.
     *
     * @param refreshToken the refresh token, or {@code null} for none
     */
    public AccessToken withRefreshToken(@Nullable String refreshToken) {
        return new AccessToken(value, tokenType, issuedAt, expiresAt, refreshToken, scopes, refreshHint);
    }

    @Override
    public String toString() {
        return "AccessToken[value=" + Secrets.mask(value) + ", tokenType=" + tokenType + ", issuedAt=" + issuedAt
                + ", expiresAt=" + expiresAt + ", refreshToken=" + (hasRefreshToken() ? Secrets.mask(refreshToken) : "none")
                + ", scopes=" + scopes + "]";
    }
}
