package dev.tokenstarter.token.endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;

/**
 * The parameters and headers of one token request, built from the configuration and the grant. Not
 * printable: it holds secrets.
 *
 * @param parameters the request parameters, in order
 * @param headers the request headers, including client authentication
 * @param secrets every secret value of the request and of its configuration (client secret, password,
 * refresh tokens, extra parameter and header values, the Basic credentials), also form-encoded: what an
 * answer must never repeat
 */
record TokenRequest(Map<String, String> parameters, HttpHeaders headers, Set<String> secrets) {

    /**
     * Builds the request for {@code grant}.
     * @param config the endpoint configuration
     * @param grant the grant to request (the configured one, or {@code REFRESH_TOKEN} when refreshing)
     * @param refreshToken the refresh token to send for {@code REFRESH_TOKEN}
     */
    static TokenRequest of(TokenEndpointConfig config, GrantType grant, String refreshToken) {
        TokenEndpointConfig.Credentials credentials = config.credentials();
        TokenEndpointConfig.RequestShape shape = config.request();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (grant.parameterValue() != null) {
            parameters.put("grant_type", grant.parameterValue());
        }
        switch (grant) {
            case PASSWORD -> {
                parameters.put("username", credentials.username());
                parameters.put("password", credentials.password());
            }
            case REFRESH_TOKEN -> parameters.put("refresh_token", refreshToken);
            default -> {
            }
        }
        if (!credentials.scopes().isEmpty() && grant != GrantType.REFRESH_TOKEN) {
            parameters.put("scope", String.join(" ", credentials.scopes()));
        }
        parameters.putAll(shape.extraParameters());
        HttpHeaders headers = new HttpHeaders();
        shape.headers().forEach(headers::set);
        Set<String> secrets = new LinkedHashSet<>();
        switch (credentials.authMethod()) {
            case CLIENT_SECRET_BASIC -> {
                String basic = basicCredentials(credentials.clientId(), credentials.clientSecret());
                headers.set(HttpHeaders.AUTHORIZATION, "Basic " + basic);
                secrets.add(basic);
            }
            case CLIENT_SECRET_POST -> {
                parameters.put("client_id", credentials.clientId());
                parameters.put("client_secret", credentials.clientSecret());
            }
            case NONE -> {
                if (credentials.clientId() != null) {
                    parameters.put("client_id", credentials.clientId());
                }
            }
        }
        addSecrets(secrets, credentials.clientSecret(), credentials.password(), credentials.refreshToken(), refreshToken);
        addSecrets(secrets, shape.extraParameters().values().toArray(String[]::new));
        addSecrets(secrets, shape.headers().values().toArray(String[]::new));
        return new TokenRequest(parameters, headers, Set.copyOf(secrets));
    }

    private static void addSecrets(Set<String> secrets, String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
                secrets.add(formEncode(value));
            }
        }
    }

    /** RFC 6749 §2.3.1: id and secret are form-URL-encoded before Base64. */
    private static String basicCredentials(String clientId, String clientSecret) {
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
