package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.net.URI;

/**
 * A request to the token endpoint failed. {@link #kind()} says how; subclasses carry the details
 * (the OAuth error code, the malformed field).
 */
public class TokenFetchException extends TokenException {

    /** How the request failed. */
    private final FailureKind kind;

    /** The token endpoint that was called. */
    private final URI tokenUri;

    /** The HTTP status received, or 0 if none. */
    private final int status;

    /**
     * A failed token request; the message names the endpoint and the HTTP status, if any.
     *
     * @param kind how the request failed
     * @param tokenUri the endpoint that was called
     * @param status the HTTP status received, or 0 if none
     * @param message what failed, without secrets
     * @param cause the underlying error, or {@code null}
     */
    public TokenFetchException(FailureKind kind, URI tokenUri, int status, String message, @Nullable Throwable cause) {
        super("Token request to " + Secrets.redact(tokenUri) + " failed" + ((status != 0) ? " with HTTP " + status : "") + ": "
                + message, cause);
        this.kind = kind;
        this.tokenUri = tokenUri;
        this.status = status;
    }

    /** {@return how the request failed} */
    public FailureKind kind() {
        return kind;
    }

    /** {@return the token endpoint that was called} */
    public URI tokenUri() {
        return tokenUri;
    }

    /** {@return the HTTP status the endpoint answered with, or 0 when no answer was received} */
    public int status() {
        return status;
    }
}
