package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every exception the starter throws about tokens. Messages name what failed and where,
 * and never contain a secret.
 */
public abstract class TokenException extends RuntimeException {

    /**
     * An exception with a message that names what failed.
     *
     * @param message what failed, without secrets
     * @param cause the underlying error, or {@code null}
     */
    protected TokenException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
