package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.net.URI;

/**
 * A request to the token endpoint failed. {@link #kind()} says how; subclasses carry the details
 * (the OAuth error code, the malformed field).
 */
public class TokenFetchException extends TokenException {

    private final FailureKind kind;

    private final URI tokenUri;

    private final int status;

    /**
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

    public FailureKind kind() {
        return kind;
    }

    public URI tokenUri() {
        return tokenUri;
    }

    /** The HTTP status the endpoint answered with, or 0 when no answer was received. */
    public int status() {
        return status;
    }
}
