package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;

/**
 * The token endpoint answered, but not with a usable token: not JSON, an HTML page, an empty or oversized
 * body, a missing or mistyped field, an unexpected token type, or a token with characters that cannot go
 * into an HTTP header.
 */
public class MalformedTokenResponseException extends TokenFetchException {

    /**
     * A response that holds no usable token.
     *
     * @param tokenUri the endpoint that was called
     * @param status the HTTP status received
     * @param problem what is wrong with the response, without its content
     */
    public MalformedTokenResponseException(URI tokenUri, int status, String problem) {
        this(tokenUri, status, problem, null);
    }

    /**
     * A response that holds no usable token, found so by a parser's error.
     *
     * @param tokenUri the endpoint that was called
     * @param status the HTTP status received
     * @param problem what is wrong with the response, without its content
     * @param cause the parser's error, or {@code null}
     */
    public MalformedTokenResponseException(URI tokenUri, int status, String problem, @Nullable Throwable cause) {
        super(FailureKind.PARSE_ERROR, tokenUri, status, problem, cause);
    }
}
