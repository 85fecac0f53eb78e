package dev.tokenstarter.token.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.internal.endpoint.ClientAssertion;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenExchange;
import dev.tokenstarter.token.internal.endpoint.TokenResponseFormat;

/**
 * Test shorthand for a {@link TokenEndpointConfig}: the defaults of {@link TokenEndpointConfig#of}, with
 * whichever parts a test varies. (The starter itself builds the parts straight from the properties.)
 */
public final class TokenEndpointConfigs {

    private TokenEndpointConfigs() {
    }

    public static Builder builder(URI tokenUri) {
        return new Builder(tokenUri);
    }

    public static final class Builder {

        private final URI tokenUri;

        private GrantType grantType = GrantType.CLIENT_CREDENTIALS;

        private String clientId;

        private String clientSecret;

        private ClientAuthMethod authMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;

        private List<String> scopes = List.of();

        private String username;

        private String password;

        private String refreshToken;

        private ClientAssertion clientAssertion;

        private TokenExchange tokenExchange;

        private CredentialSource assertion;

        private TokenEndpointConfig.RequestShape request = TokenEndpointConfig.RequestShape.STANDARD;

        private TokenEndpointConfig.Limits limits = TokenEndpointConfig.Limits.DEFAULT;

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

        public Builder clientAuthMethod(ClientAuthMethod authMethod) {
            this.authMethod = authMethod;
            return this;
        }

        public Builder clientAssertion(ClientAssertion clientAssertion) {
            this.clientAssertion = clientAssertion;
            return this;
        }

        public Builder tokenExchange(TokenExchange tokenExchange) {
            this.grantType = GrantType.TOKEN_EXCHANGE;
            this.tokenExchange = tokenExchange;
            return this;
        }

        public Builder jwtBearer(CredentialSource assertion) {
            this.grantType = GrantType.JWT_BEARER;
            this.assertion = assertion;
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

        public Builder method(HttpMethod method) {
            request = new TokenEndpointConfig.RequestShape(method, request.bodyFormat(), request.headers(),
                    request.extraParameters());
            return this;
        }

        public Builder bodyFormat(BodyFormat bodyFormat) {
            request = new TokenEndpointConfig.RequestShape(request.method(), bodyFormat, request.headers(),
                    request.extraParameters());
            return this;
        }

        public Builder headers(Map<String, String> headers) {
            request = new TokenEndpointConfig.RequestShape(request.method(), request.bodyFormat(), headers,
                    request.extraParameters());
            return this;
        }

        public Builder extraParameters(Map<String, String> extraParameters) {
            request = new TokenEndpointConfig.RequestShape(request.method(), request.bodyFormat(), request.headers(),
                    extraParameters);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            limits = new TokenEndpointConfig.Limits(connectTimeout, limits.readTimeout(), limits.maxResponseBytes());
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            limits = new TokenEndpointConfig.Limits(limits.connectTimeout(), readTimeout, limits.maxResponseBytes());
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            limits = new TokenEndpointConfig.Limits(limits.connectTimeout(), limits.readTimeout(), maxResponseBytes);
            return this;
        }

        public Builder responseFormat(TokenResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        public TokenEndpointConfig build() {
            return new TokenEndpointConfig(tokenUri, new TokenEndpointConfig.Credentials(grantType, clientId,
                    clientSecret, authMethod, scopes, username, password, refreshToken, clientAssertion, tokenExchange, assertion),
                    request, limits,
                    responseFormat);
        }
    }
}
