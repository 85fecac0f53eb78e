package dev.tokenstarter.token.internal.dpop;

/**
 * A DPoP key cannot be read or does not fit its algorithm. The message names the location and the
 * problem, never key material.
 */
public class InvalidDPoPKeyException extends IllegalArgumentException {

    public InvalidDPoPKeyException(String message) {
        super(message);
    }

    public InvalidDPoPKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
