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

    public CredentialProperties getSubjectToken() {
        return this.subjectToken;
    }

    public String getSubjectTokenType() {
        return this.subjectTokenType;
    }

    public void setSubjectTokenType(String subjectTokenType) {
        this.subjectTokenType = subjectTokenType;
    }

    public CredentialProperties getActorToken() {
        return this.actorToken;
    }

    public String getActorTokenType() {
        return this.actorTokenType;
    }

    public void setActorTokenType(String actorTokenType) {
        this.actorTokenType = actorTokenType;
    }

    public List<String> getAudience() {
        return this.audience;
    }

    public void setAudience(List<String> audience) {
        this.audience = audience;
    }

    public List<String> getResource() {
        return this.resource;
    }

    public void setResource(List<String> resource) {
        this.resource = resource;
    }

    public @Nullable String getRequestedTokenType() {
        return this.requestedTokenType;
    }

    public void setRequestedTokenType(@Nullable String requestedTokenType) {
        this.requestedTokenType = requestedTokenType;
    }
}
