package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

/**
 * No valid token can be handed out right now: the last fetch failed and the next attempt is held back
 * by the retry backoff, or waiting for the in-flight fetch took too long. The cause, when present, is the
 * last fetch failure.
 */
public class TokenUnavailableException extends TokenException {

    /**
     * No token can be handed out, for the reason given.
     *
     * @param message why no token can be handed out, without secrets
     * @param cause the last fetch failure, or {@code null}
     */
    public TokenUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
