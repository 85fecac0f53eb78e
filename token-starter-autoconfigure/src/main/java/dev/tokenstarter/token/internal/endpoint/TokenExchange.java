package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

import dev.tokenstarter.token.endpoint.CredentialSource;

/**
 * The parameters of an OAuth 2.0 token exchange (RFC 8693 §2.1).
 *
 * @param subjectToken the token that represents the party on whose behalf the request is made
 * @param subjectTokenType its type URI, e.g. {@code urn:ietf:params:oauth:token-type:jwt}
 * @param actorToken the token of the acting party, or {@code null}
 * @param actorTokenType its type URI ({@code null} without an actor token)
 * @param audience the logical names of the services the token is for (one parameter each)
 * @param resource the URIs of the services the token is for (one parameter each)
 * @param requestedTokenType the type of token wanted, or {@code null} for the server's choice
 */
public record TokenExchange(CredentialSource subjectToken, String subjectTokenType, @Nullable CredentialSource actorToken,
        @Nullable String actorTokenType, List<String> audience, List<String> resource,
        @Nullable String requestedTokenType) {

    /** The type of an OAuth 2.0 access token. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    public TokenExchange {
        Objects.requireNonNull(subjectToken, "subjectToken");
        Objects.requireNonNull(subjectTokenType, "subjectTokenType");
        if (actorToken != null && actorTokenType == null) {
            throw new IllegalArgumentException("an actor token needs its type");
        }
        audience = (audience != null) ? List.copyOf(audience) : List.of();
        resource = (resource != null) ? List.copyOf(resource) : List.of();
    }

    @Override
    public String toString() {
        return "TokenExchange[subjectToken=" + subjectToken + ", subjectTokenType=" + subjectTokenType
                + ((actorToken != null) ? ", actorToken=" + actorToken + ", actorTokenType=" + actorTokenType : "")
                + ", audience=" + audience + ", resource=" + resource + "]";
    }
}
