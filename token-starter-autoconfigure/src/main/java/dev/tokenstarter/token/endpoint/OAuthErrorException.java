package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;

/**
 * The token endpoint answered with an RFC 6749 §5.2 error, e.g. {@code invalid_client} or
 * {@code invalid_grant}.
 */
public class OAuthErrorException extends TokenFetchException {

    /** The OAuth {@code error} code. */
    private final String errorCode;

    /** The masked and cut {@code error_description}, or {@code null}. */
    private final @Nullable String errorDescription;

    /**
     * An OAuth error answer; the message adds a hint for the common codes.
     *
     * @param tokenUri the endpoint that was called
     * @param status the HTTP status received
     * @param errorCode the OAuth {@code error} code
     * @param errorDescription the {@code error_description}, already masked and cut, or {@code null}
     */
    public OAuthErrorException(URI tokenUri, int status, String errorCode, @Nullable String errorDescription) {
        super((status >= 500) ? FailureKind.SERVER_ERROR : FailureKind.CLIENT_ERROR, tokenUri, status,
                "OAuth error '" + errorCode + "'" + ((errorDescription != null) ? " (" + errorDescription + ")" : "")
                        + hint(errorCode),
                null);
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
    }

    private static String hint(String errorCode) {
        return switch (errorCode) {
            case "invalid_client" -> "; check the client id, secret and client-auth-method";
            case "invalid_grant" -> "; the credentials or refresh token were rejected";
            case "invalid_scope" -> "; check the requested scopes";
            case "unauthorized_client", "unsupported_grant_type" -> "; check the grant type the client is allowed";
            default -> "";
        };
    }

    /** {@return the OAuth {@code error} code} */
    public String errorCode() {
        return errorCode;
    }

    /**
     * {@return the OAuth {@code error_description}, or {@code null}} The client's secret values are masked in it (an
     * endpoint may echo what it rejected), control characters replaced, and it is cut at 200 characters.
     */
    public @Nullable String errorDescription() {
        return errorDescription;
    }
}
