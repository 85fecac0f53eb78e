package dev.tokenstarter.token;

/**
 * Base class of every exception the starter throws about tokens. Messages name what failed and where,
 * and never contain a secret.
 */
public abstract class TokenException extends RuntimeException {

    protected TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
