package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.http.HttpMethod;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.RefreshTokenPresentation;
import dev.tokenstarter.token.endpoint.CredentialSource;

/**
 * Everything needed to call one token endpoint, by concern: who the client is and what it asks for, how the
 * request is shaped, how long and how much it may take, and where the answer keeps its fields. Immutable;
 * {@link #toString()} masks the secrets.
 *
 * @param tokenUri the token endpoint
 * @param credentials the grant, the client's authentication and the grant's own credentials
 * @param request the HTTP method, body format and additional parameters and headers
 * @param limits timeouts and the largest answer accepted
 * @param responseFormat where the response keeps its fields
 */
public record TokenEndpointConfig(URI tokenUri, Credentials credentials, RequestShape request, Limits limits,
        TokenResponseFormat responseFormat) {

    public TokenEndpointConfig {
        Objects.requireNonNull(tokenUri, "tokenUri");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(responseFormat, "responseFormat");
    }

    /** {@code credentials} against {@code tokenUri} with RFC 6749 defaults: POST form, 5 s / 10 s, 1 MiB, standard fields. */
    public static TokenEndpointConfig of(URI tokenUri, Credentials credentials) {
        return new TokenEndpointConfig(tokenUri, credentials, RequestShape.STANDARD, Limits.DEFAULT,
                TokenResponseFormat.STANDARD);
    }

    @Override
    public String toString() {
        return "TokenEndpointConfig[tokenUri=" + Secrets.redact(tokenUri) + ", " + credentials + ", " + request + "]";
    }

    /**
     * Who the client is and what it asks for.
     *
     * @param grantType the grant to request
     * @param clientId the client id, or {@code null}
     * @param clientSecret the client secret, or {@code null}
     * @param authMethod how the client authenticates
     * @param scopes the scopes to request (none: the endpoint's default)
     * @param username the resource owner's username for {@link GrantType#PASSWORD}
     * @param password the resource owner's password for {@link GrantType#PASSWORD}
     * @param refreshToken the initial refresh token for {@link GrantType#REFRESH_TOKEN}
     * @param clientAssertion creates the signed JWT of {@link ClientAuthMethod#usesClientAssertion() the
     * methods that send one}, else {@code null}
     * @param tokenExchange the subject (and actor) of {@link GrantType#TOKEN_EXCHANGE}, else {@code null}
     * @param assertion the assertion of {@link GrantType#JWT_BEARER}, else {@code null}
     */
    public record Credentials(GrantType grantType, @Nullable String clientId, @Nullable String clientSecret,
            ClientAuthMethod authMethod, List<String> scopes, @Nullable String username, @Nullable String password,
            @Nullable String refreshToken, @Nullable ClientAssertion clientAssertion,
            @Nullable TokenExchange tokenExchange, @Nullable CredentialSource assertion) {

        public Credentials {
            Objects.requireNonNull(grantType, "grantType");
            Objects.requireNonNull(authMethod, "authMethod");
            scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
            if (authMethod.usesClientAssertion() && (clientAssertion == null || clientId == null)) {
                throw new IllegalArgumentException(authMethod + " needs a client id and a client assertion");
            }
            if (grantType == GrantType.TOKEN_EXCHANGE && tokenExchange == null) {
                throw new IllegalArgumentException("the token exchange grant needs a subject token");
            }
            if (grantType == GrantType.JWT_BEARER && assertion == null) {
                throw new IllegalArgumentException("the JWT bearer grant needs an assertion");
            }
        }

        /**
         * Whether building a request may take real time: signing a client assertion (CPU), or asking a
         * {@link CredentialSource} (a file, a bean). Such requests are never built on a non-blocking thread.
         */
        public boolean buildsSlowly() {
            return authMethod.usesClientAssertion() || grantType == GrantType.TOKEN_EXCHANGE
                    || grantType == GrantType.JWT_BEARER;
        }

        /** The {@code client_credentials} grant, authenticated with HTTP Basic. */
        public static Credentials clientCredentials(String clientId, @Nullable String clientSecret) {
            return new Credentials(GrantType.CLIENT_CREDENTIALS, clientId, clientSecret,
                    ClientAuthMethod.CLIENT_SECRET_BASIC, List.of(), null, null, null, null, null, null);
        }

        @Override
        public String toString() {
            return "grantType=" + grantType + ", clientId=" + clientId + ", clientSecret=" + Secrets.mask(clientSecret)
                    + ", authMethod=" + authMethod + ", scopes=" + scopes + ", username=" + username + ", password="
                    + Secrets.mask(password) + ", refreshToken=" + Secrets.mask(refreshToken)
                    + ((clientAssertion != null) ? ", clientAssertion=" + clientAssertion : "")
                    + ((tokenExchange != null) ? ", " + tokenExchange : "")
                    + ((assertion != null) ? ", assertion=" + assertion : "");
        }
    }

    /**
     * How the request is shaped.
     *
     * @param method the HTTP method (POST unless the endpoint wants otherwise)
     * @param bodyFormat how parameters are encoded in the body
     * @param headers additional request headers
     * @param extraParameters additional request parameters
     * @param refreshTokenPresentation how a refresh token is presented: a form parameter, or a bearer header
     */
    public record RequestShape(HttpMethod method, BodyFormat bodyFormat, Map<String, String> headers,
            Map<String, String> extraParameters, RefreshTokenPresentation refreshTokenPresentation) {

        /** RFC 6749: POST, form-encoded, nothing added, the refresh token as a parameter. */
        public static final RequestShape STANDARD = new RequestShape(HttpMethod.POST, BodyFormat.FORM, Map.of(), Map.of());

        /**
         * The refresh token presented as RFC 6749 says, as a form parameter.
         * @param method the HTTP method
         * @param bodyFormat the encoding of the parameters
         * @param headers headers added to every request
         * @param extraParameters parameters added to every request
         */
        public RequestShape(HttpMethod method, BodyFormat bodyFormat, Map<String, String> headers,
                Map<String, String> extraParameters) {
            this(method, bodyFormat, headers, extraParameters, RefreshTokenPresentation.FORM_PARAMETER);
        }

        public RequestShape {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(bodyFormat, "bodyFormat");
            Objects.requireNonNull(refreshTokenPresentation, "refreshTokenPresentation");
            headers = (headers != null) ? Map.copyOf(new LinkedHashMap<>(headers)) : Map.of();
            extraParameters = (extraParameters != null) ? Map.copyOf(new LinkedHashMap<>(extraParameters)) : Map.of();
        }

        @Override
        public String toString() {
            // the values may be secrets: the names only
            return "method=" + method + ", bodyFormat=" + bodyFormat + ", headers=" + headers.keySet()
                    + ", extraParameters=" + extraParameters.keySet() + ", refreshTokenPresentation="
                    + refreshTokenPresentation;
        }
    }

    /**
     * How long and how much one request may take.
     *
     * @param connectTimeout the connect timeout
     * @param readTimeout the time allowed to receive the whole response
     * @param maxResponseBytes the largest response body accepted
     */
    public record Limits(Duration connectTimeout, Duration readTimeout, int maxResponseBytes) {

        /** 1 MiB. */
        public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

        /** 5 s to connect, 10 s to read, 1 MiB. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(10),
                DEFAULT_MAX_RESPONSE_BYTES);

        public Limits {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
            }
        }
    }
}
