package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.Secrets;

/**
 * Everything needed to call one token endpoint. Immutable; {@link #toString()} masks the secrets.
 *
 * @param tokenUri the token endpoint
 * @param grantType the grant to request
 * @param clientId the client id, or {@code null}
 * @param clientSecret the client secret, or {@code null}
 * @param clientAuthMethod how the client authenticates
 * @param scopes the scopes to request (none: the endpoint's default)
 * @param username the resource owner's username for {@link GrantType#PASSWORD}
 * @param password the resource owner's password for {@link GrantType#PASSWORD}
 * @param refreshToken the initial refresh token for {@link GrantType#REFRESH_TOKEN}
 * @param extraParameters additional request parameters
 * @param headers additional request headers
 * @param method the HTTP method (POST unless the endpoint wants otherwise)
 * @param bodyFormat how parameters are encoded in the body
 * @param connectTimeout the connect timeout
 * @param readTimeout the time allowed to receive the whole response
 * @param maxResponseBytes the largest response body accepted
 * @param responseFormat where the response keeps its fields
 */
public record TokenEndpointConfig(URI tokenUri, GrantType grantType, @Nullable String clientId,
        @Nullable String clientSecret, ClientAuthMethod clientAuthMethod, List<String> scopes, @Nullable String username,
        @Nullable String password, @Nullable String refreshToken, Map<String, String> extraParameters, Map<String, String> headers, HttpMethod method,
        BodyFormat bodyFormat, Duration connectTimeout, Duration readTimeout, int maxResponseBytes,
        TokenResponseFormat responseFormat) {

    /** 1 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    public TokenEndpointConfig {
        Objects.requireNonNull(tokenUri, "tokenUri");
        Objects.requireNonNull(grantType, "grantType");
        Objects.requireNonNull(clientAuthMethod, "clientAuthMethod");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(bodyFormat, "bodyFormat");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(responseFormat, "responseFormat");
        scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
        extraParameters = (extraParameters != null) ? Map.copyOf(new LinkedHashMap<>(extraParameters)) : Map.of();
        headers = (headers != null) ? Map.copyOf(new LinkedHashMap<>(headers)) : Map.of();
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
        }
    }

    /** A builder with RFC 6749 defaults: client_credentials, client_secret_basic, POST form, 5 s / 10 s timeouts. */
    public static Builder builder(URI tokenUri) {
        return new Builder(tokenUri);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(tokenUri).grantType(grantType).clientId(clientId).clientSecret(clientSecret)
                .clientAuthMethod(clientAuthMethod).scopes(scopes).username(username).password(password)
                .refreshToken(refreshToken).extraParameters(extraParameters).headers(headers).method(method)
                .bodyFormat(bodyFormat).connectTimeout(connectTimeout).readTimeout(readTimeout)
                .maxResponseBytes(maxResponseBytes).responseFormat(responseFormat);
    }

    @Override
    public String toString() {
        return "TokenEndpointConfig[tokenUri=" + Secrets.redact(tokenUri) + ", grantType=" + grantType
                + ", clientId=" + clientId + ", clientSecret=" + Secrets.mask(clientSecret) + ", clientAuthMethod=" + clientAuthMethod
                + ", scopes=" + scopes + ", username=" + username + ", password=" + Secrets.mask(password)
                + ", refreshToken=" + Secrets.mask(refreshToken) + ", extraParameters=" + extraParameters.keySet()
                + ", headers=" + headers.keySet() + ", method=" + method + ", bodyFormat=" + bodyFormat + "]";
    }

    /** Builds a {@link TokenEndpointConfig}. */
    public static final class Builder {

        private final URI tokenUri;

        private GrantType grantType = GrantType.CLIENT_CREDENTIALS;

        private String clientId;

        private String clientSecret;

        private ClientAuthMethod clientAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;

        private List<String> scopes = List.of();

        private String username;

        private String password;

        private String refreshToken;

        private Map<String, String> extraParameters = Map.of();

        private Map<String, String> headers = Map.of();

        private HttpMethod method = HttpMethod.POST;

        private BodyFormat bodyFormat = BodyFormat.FORM;

        private Duration connectTimeout = Duration.ofSeconds(5);

        private Duration readTimeout = Duration.ofSeconds(10);

        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private TokenResponseFormat responseFormat = TokenResponseFormat.STANDARD;

        private Builder(URI tokenUri) {
            this.tokenUri = tokenUri;
        }

        public Builder grantType(GrantType grantType) {
            this.grantType = grantType;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder clientAuthMethod(ClientAuthMethod clientAuthMethod) {
            this.clientAuthMethod = clientAuthMethod;
            return this;
        }

        public Builder scopes(List<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder refreshToken(String refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        public Builder extraParameters(Map<String, String> extraParameters) {
            this.extraParameters = extraParameters;
            return this;
        }

        public Builder headers(Map<String, String> headers) {
            this.headers = headers;
            return this;
        }

        public Builder method(HttpMethod method) {
            this.method = method;
            return this;
        }

        public Builder bodyFormat(BodyFormat bodyFormat) {
            this.bodyFormat = bodyFormat;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public Builder responseFormat(TokenResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        public TokenEndpointConfig build() {
            return new TokenEndpointConfig(tokenUri, grantType, clientId, clientSecret, clientAuthMethod, scopes,
                    username, password, refreshToken, extraParameters, headers, method, bodyFormat, connectTimeout,
                    readTimeout, maxResponseBytes, responseFormat);
        }
    }
}
