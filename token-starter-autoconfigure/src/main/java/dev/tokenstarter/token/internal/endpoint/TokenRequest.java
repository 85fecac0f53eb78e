package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.RefreshTokenPresentation;
import dev.tokenstarter.token.endpoint.CredentialSource;

/**
 * The parameters and headers of one token request, built from the configuration and the grant. Not
 * printable: it holds secrets.
 *
 * @param parameters the request parameters, in order (RFC 8693's audience and resource may repeat)
 * @param headers the request headers, including client authentication
 * @param secrets every secret value of the request and of its configuration (client secret, password,
 * refresh tokens, extra parameter and header values, the Basic credentials, the client assertion), also
 * form-encoded: what an answer must never repeat
 */
record TokenRequest(MultiValueMap<String, String> parameters, HttpHeaders headers, Set<String> secrets) {

    /**
     * Builds the request for {@code grant}.
     * @param config the endpoint configuration
     * @param grant the grant to request (the configured one, or {@code REFRESH_TOKEN} when refreshing)
     * @param refreshToken the refresh token to send for {@code REFRESH_TOKEN}
     */
    static TokenRequest of(TokenEndpointConfig config, GrantType grant, @Nullable String refreshToken) {
        TokenEndpointConfig.Credentials credentials = config.credentials();
        TokenEndpointConfig.RequestShape shape = config.request();
        MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        boolean refreshByBearer = grant == GrantType.REFRESH_TOKEN
                && shape.refreshTokenPresentation() == RefreshTokenPresentation.BEARER_HEADER;
        if (grant.parameterValue() != null && !refreshByBearer) {
            parameters.set("grant_type", grant.parameterValue());
        }
        switch (grant) {
            case PASSWORD -> {
                parameters.set("username", credentials.username());
                parameters.set("password", credentials.password());
            }
            case REFRESH_TOKEN -> {
                if (!refreshByBearer) {
                    parameters.set("refresh_token", refreshToken);
                }
            }
            // Credentials requires a token exchange and an assertion for these grants
            case TOKEN_EXCHANGE -> exchange(Objects.requireNonNull(credentials.tokenExchange(), "tokenExchange"), parameters,
                    secrets);
            case JWT_BEARER -> parameters.set("assertion",
                    secret(Objects.requireNonNull(credentials.assertion(), "assertion"), secrets));
            default -> {
            }
        }
        if (!credentials.scopes().isEmpty() && grant != GrantType.REFRESH_TOKEN) {
            parameters.set("scope", String.join(" ", credentials.scopes()));
        }
        shape.extraParameters().forEach(parameters::set);
        HttpHeaders headers = new HttpHeaders();
        shape.headers().forEach(headers::set);
        if (refreshByBearer) {
            // the validator refuses this presentation with client_secret_basic, which needs the header too
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + refreshToken);
        }
        // a refresh token presented as a bearer header is the request's credential: no client authentication
        switch (refreshByBearer ? ClientAuthMethod.NONE : credentials.authMethod()) {
            case CLIENT_SECRET_BASIC -> {
                String basic = basicCredentials(
                        Objects.requireNonNull(credentials.clientId(), "client_secret_basic needs a client id"),
                        credentials.clientSecret());
                headers.set(HttpHeaders.AUTHORIZATION, "Basic " + basic);
                secrets.add(basic);
            }
            case CLIENT_SECRET_POST -> {
                parameters.set("client_id", credentials.clientId());
                parameters.set("client_secret", credentials.clientSecret());
            }
            case CLIENT_SECRET_JWT, PRIVATE_KEY_JWT -> {
                // RFC 7523 §3: aud is the token endpoint; a new assertion (and jti) for every request. Credentials
                // requires a client id and a client assertion for these methods.
                String clientId = Objects.requireNonNull(credentials.clientId(), "clientId");
                String assertion = Objects.requireNonNull(credentials.clientAssertion(), "clientAssertion")
                    .create(clientId, config.tokenUri());
                parameters.set("client_id", clientId);
                parameters.set("client_assertion_type", ClientAssertion.JWT_BEARER_TYPE);
                parameters.set("client_assertion", assertion);
                secrets.add(assertion);
            }
            case TLS_CLIENT_AUTH, SELF_SIGNED_TLS_CLIENT_AUTH -> parameters.set("client_id", credentials.clientId());
            case NONE -> {
                if (credentials.clientId() != null && !refreshByBearer) {
                    parameters.set("client_id", credentials.clientId());
                }
            }
        }
        addSecrets(secrets, credentials.clientSecret(), credentials.password(), credentials.refreshToken(), refreshToken);
        addSecrets(secrets, shape.extraParameters().values().toArray(String[]::new));
        addSecrets(secrets, shape.headers().values().toArray(String[]::new));
        return new TokenRequest(CollectionUtils.unmodifiableMultiValueMap(parameters), headers, Set.copyOf(secrets));
    }

    /** RFC 8693 §2.1. */
    private static void exchange(TokenExchange exchange, MultiValueMap<String, String> parameters, Set<String> secrets) {
        parameters.set("subject_token", secret(exchange.subjectToken(), secrets));
        parameters.set("subject_token_type", exchange.subjectTokenType());
        if (exchange.actorToken() != null) {
            parameters.set("actor_token", secret(exchange.actorToken(), secrets));
            parameters.set("actor_token_type", exchange.actorTokenType());
        }
        exchange.resource().forEach((resource) -> parameters.add("resource", resource));
        exchange.audience().forEach((audience) -> parameters.add("audience", audience));
        if (exchange.requestedTokenType() != null) {
            parameters.set("requested_token_type", exchange.requestedTokenType());
        }
    }

    /** The source's current value, which joins the secrets. */
    private static String secret(CredentialSource source, Set<String> secrets) {
        String value = source.get();
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(source + " has no value");
        }
        addSecrets(secrets, value);
        return value;
    }

    private static void addSecrets(Set<String> secrets, @Nullable String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
                secrets.add(formEncode(value));
            }
        }
    }

    /** RFC 6749 §2.3.1: id and secret are form-URL-encoded before Base64. */
    private static String basicCredentials(String clientId, @Nullable String clientSecret) {
        String pair = formEncode(clientId) + ":" + formEncode((clientSecret != null) ? clientSecret : "");
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TokenRequest[parameters=" + parameters.keySet() + "]";
    }
}
