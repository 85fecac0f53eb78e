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
        Map<String, String> parameters = new LinkedHashMap<>();
        if (grant.parameterValue() != null) {
            parameters.put("grant_type", grant.parameterValue());
        }
        switch (grant) {
            case PASSWORD -> {
                parameters.put("username", config.username());
                parameters.put("password", config.password());
            }
            case REFRESH_TOKEN -> parameters.put("refresh_token", refreshToken);
            default -> {
            }
        }
        if (!config.scopes().isEmpty() && grant != GrantType.REFRESH_TOKEN) {
            parameters.put("scope", String.join(" ", config.scopes()));
        }
        parameters.putAll(config.extraParameters());
        HttpHeaders headers = new HttpHeaders();
        config.headers().forEach(headers::set);
        Set<String> secrets = new LinkedHashSet<>();
        switch (config.clientAuthMethod()) {
            case CLIENT_SECRET_BASIC -> {
                String credentials = basicCredentials(config.clientId(), config.clientSecret());
                headers.set(HttpHeaders.AUTHORIZATION, "Basic " + credentials);
                secrets.add(credentials);
            }
            case CLIENT_SECRET_POST -> {
                parameters.put("client_id", config.clientId());
                parameters.put("client_secret", config.clientSecret());
            }
            case NONE -> {
                if (config.clientId() != null) {
                    parameters.put("client_id", config.clientId());
                }
            }
        }
        addSecrets(secrets, config.clientSecret(), config.password(), config.refreshToken(), refreshToken);
        addSecrets(secrets, config.extraParameters().values().toArray(String[]::new));
        addSecrets(secrets, config.headers().values().toArray(String[]::new));
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
