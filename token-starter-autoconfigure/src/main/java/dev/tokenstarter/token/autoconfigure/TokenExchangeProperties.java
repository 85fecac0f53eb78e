package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.tokenstarter.token.internal.endpoint.TokenExchange;

/**
 * The token exchange grant (RFC 8693), for grant-type token-exchange.
 * The {@code token-exchange.*} keys of a client ({@link TokenClientProperties}).
 */
public class TokenExchangeProperties {

    /**
     * The token exchanged: it represents the party on whose behalf the new token is requested.
     */
    @NestedConfigurationProperty
    private final CredentialProperties subjectToken = new CredentialProperties();

    /**
     * Type of the subject token, e.g. urn:ietf:params:oauth:token-type:jwt for a Kubernetes service account
     * token.
     */
    private String subjectTokenType = TokenExchange.ACCESS_TOKEN_TYPE;

    /**
     * Token of the party acting for the subject (delegation); none for impersonation.
     */
    @NestedConfigurationProperty
    private final CredentialProperties actorToken = new CredentialProperties();

    /**
     * Type of the actor token.
     */
    private String actorTokenType = TokenExchange.ACCESS_TOKEN_TYPE;

    /**
     * Logical names of the services the new token is for (one audience parameter each).
     */
    private List<String> audience = new ArrayList<>();

    /**
     * URIs of the services the new token is for (one resource parameter each).
     */
    private List<String> resource = new ArrayList<>();

    /**
     * Type of token wanted, e.g. urn:ietf:params:oauth:token-type:access_token. Empty: the server's choice.
     */
    private @Nullable String requestedTokenType;

    /** Creates token exchange settings with the defaults. */
    public TokenExchangeProperties() {
    }

    /** {@return where the token exchanged comes from} */
    public CredentialProperties getSubjectToken() {
        return this.subjectToken;
    }

    /** {@return the type of the subject token} */
    public String getSubjectTokenType() {
        return this.subjectTokenType;
    }

    /** Sets the type of the subject token.
     * @param subjectTokenType the token type URI */
    public void setSubjectTokenType(String subjectTokenType) {
        this.subjectTokenType = subjectTokenType;
    }

    /** {@return where the token of the party acting for the subject comes from} */
    public CredentialProperties getActorToken() {
        return this.actorToken;
    }

    /** {@return the type of the actor token} */
    public String getActorTokenType() {
        return this.actorTokenType;
    }

    /** Sets the type of the actor token.
     * @param actorTokenType the token type URI */
    public void setActorTokenType(String actorTokenType) {
        this.actorTokenType = actorTokenType;
    }

    /** {@return the logical names of the services the new token is for} */
    public List<String> getAudience() {
        return this.audience;
    }

    /** Sets the logical names of the services the new token is for.
     * @param audience the names */
    public void setAudience(List<String> audience) {
        this.audience = audience;
    }

    /** {@return the URIs of the services the new token is for} */
    public List<String> getResource() {
        return this.resource;
    }

    /** Sets the URIs of the services the new token is for.
     * @param resource the URIs */
    public void setResource(List<String> resource) {
        this.resource = resource;
    }

    /** {@return the type of token wanted, or {@code null} for the server's choice} */
    public @Nullable String getRequestedTokenType() {
        return this.requestedTokenType;
    }

    /** Sets the type of token wanted.
     * @param requestedTokenType the token type URI, or {@code null} for the server's choice */
    public void setRequestedTokenType(@Nullable String requestedTokenType) {
        this.requestedTokenType = requestedTokenType;
    }
}
