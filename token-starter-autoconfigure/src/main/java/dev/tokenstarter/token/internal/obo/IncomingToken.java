package dev.tokenstarter.token.internal.obo;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The bearer token of the request being served, the subject of an on-behalf-of client's grant, and its key in
 * the cache of subjects: two are equal when their token values are (compared in full). The hash is taken over
 * the token's last {@value #HASHED} characters (part of a JWT's signature, or of an opaque token's random
 * value: about 96 bits that differ between tokens), rotated into a {@code long} without a multiplication, so
 * that deriving the key costs a few nanoseconds whatever the token's length; a collision costs a comparison,
 * never a wrong token.
 */
public final class IncomingToken {

    /** How many characters from the end of the token the hash covers. */
    static final int HASHED = 16;

    private final String value;

    private final @Nullable Instant expiresAt;

    private final int hash;

    /**
     * @param value the token as the caller sent it
     * @param expiresAt when it expires, if its {@code Authentication} says
     */
    IncomingToken(String value, @Nullable Instant expiresAt) {
        this.value = value;
        this.expiresAt = expiresAt;
        long bits = value.length();
        for (int i = Math.max(0, value.length() - HASHED); i < value.length(); i++) {
            bits = Long.rotateLeft(bits, 7) ^ value.charAt(i);
        }
        this.hash = (int) (bits ^ (bits >>> 32));
    }

    /** {@return the token as the caller sent it} */
    public String value() {
        return value;
    }

    /** {@return when the token expires, or {@code null} if its {@code Authentication} does not say} */
    public @Nullable Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return (other == this) || (other instanceof IncomingToken token && token.hash == hash && token.value.equals(value));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "IncomingToken[hash=" + Integer.toHexString(hash) + ", expiresAt=" + expiresAt + "]";
    }
}
