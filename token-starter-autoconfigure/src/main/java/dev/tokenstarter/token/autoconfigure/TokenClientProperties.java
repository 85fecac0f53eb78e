package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.dpop.DPoPAlgorithm;
import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.endpoint.RefreshTokenPresentation;
import dev.tokenstarter.token.endpoint.SigningAlgorithm;

/**
 * The settings of one API client. Used for {@code api.auth.*} and for each {@code api.auth.clients.<name>.*}.
 * The top level says who the client is and where its token goes; {@code request.*} how the token endpoint
 * is called, {@code response.*} how its answer is read, and {@code refresh.*} when tokens are fetched.
 */
public class TokenClientProperties {

    /**
     * Token endpoint URL, e.g. https://auth.example.com/oauth/token.
     */
    private @Nullable URI tokenUri;

    /**
     * Issuer identifier of the authorization server, e.g. https://auth.example.com/realms/shop, instead of
     * token-uri: the token endpoint is read from its OpenID Connect discovery document or RFC 8414 metadata
     * when the first token is needed, and the document's issuer must be this one exactly.
     */
    private @Nullable URI issuerUri;

    /**
     * Base URL of the API the token is for. The preconfigured WebClient and RestClient use it, and only its
     * origin (scheme, host, port) receives the token.
     */
    private @Nullable URI baseUrl;

    /**
     * Further destinations that may receive the token: origins such as https://files.example.com, or host
     * names such as files.example.com (any scheme and port).
     */
    private List<String> allowedHosts = new ArrayList<>();

    /**
     * HTTP service groups (the group names of @ImportHttpServices) whose clients get this client's token,
     * besides the group named like the client, which always does.
     */
    private List<String> httpServiceGroups = new ArrayList<>();

    /**
     * OAuth 2.0 grant used to obtain tokens.
     */
    private GrantType grantType = GrantType.CLIENT_CREDENTIALS;

    /**
     * Client id registered at the token endpoint.
     */
    private @Nullable String clientId;

    /**
     * Client secret registered at the token endpoint. Never logged or shown unmasked.
     */
    private @Nullable String clientSecret;

    /**
     * How the client authenticates to the token endpoint.
     */
    private ClientAuthMethod clientAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;

    /**
     * Scopes to request; none means the endpoint's default.
     */
    private List<String> scope = new ArrayList<>();

    /**
     * Resource owner's username, for the password grant.
     */
    private @Nullable String username;

    /**
     * Resource owner's password, for the password grant. Never logged or shown unmasked.
     */
    private @Nullable String password;

    /**
     * Initial refresh token, for the refresh_token grant. Rotated refresh tokens returned by the endpoint
     * replace it. Never logged or shown unmasked.
     */
    private @Nullable String refreshToken;

    /**
     * Whether plain-http token and API URLs to hosts other than the loopback address are allowed. Tokens
     * and secrets then travel unencrypted.
     */
    private boolean allowInsecureHttp;

    /**
     * The signed JWT of client-auth-method private-key-jwt and client-secret-jwt.
     */
    private final ClientAssertion clientAssertion = new ClientAssertion();

    /**
     * The token exchange grant (RFC 8693): the token exchanged, and what for.
     */
    private final TokenExchange tokenExchange = new TokenExchange();

    /**
     * The JWT bearer grant (RFC 7523 §2.1): the assertion presented.
     */
    private final JwtBearer jwtBearer = new JwtBearer();

    /**
     * How the token is put on API requests.
     */
    private final Header header = new Header();

    /**
     * How the token endpoint is called.
     */
    /**
     * Name of the SSL bundle (spring.ssl.bundle.*) for the preconfigured WebClient and RestClient's calls to
     * the API: the certificates they trust and, if it has a key, the client certificate they present, which
     * certificate-bound tokens (RFC 8705, cnf.x5t#S256) need on every call. Usually the same bundle as
     * request.ssl.bundle. Empty: spring.http.clients.ssl.bundle, else the JVM's trust store.
     */
    private @Nullable String apiSslBundle;

    private final Request request = new Request();

    /**
     * Where the token response keeps its fields, and the lifetime assumed when it has none.
     */
    private final Response response = new Response();

    /**
     * When tokens are fetched and refreshed, and the backoff after failures.
     */
    private final Refresh refresh = new Refresh();

    /**
     * Sharing one token across the instances of an application through Redis.
     */
    private final Shared shared = new Shared();

    /**
     * DPoP (RFC 9449): proof of possession of a key pair on token requests and API calls.
     */
    private final Dpop dpop = new Dpop();

    public @Nullable URI getTokenUri() {
        return this.tokenUri;
    }

    public void setTokenUri(@Nullable URI tokenUri) {
        this.tokenUri = tokenUri;
    }

    public @Nullable URI getIssuerUri() {
        return this.issuerUri;
    }

    public void setIssuerUri(@Nullable URI issuerUri) {
        this.issuerUri = issuerUri;
    }

    public @Nullable URI getBaseUrl() {
        return this.baseUrl;
    }

    public void setBaseUrl(@Nullable URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public List<String> getAllowedHosts() {
        return this.allowedHosts;
    }

    public List<String> getHttpServiceGroups() {
        return this.httpServiceGroups;
    }

    public void setHttpServiceGroups(List<String> httpServiceGroups) {
        this.httpServiceGroups = httpServiceGroups;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public GrantType getGrantType() {
        return this.grantType;
    }

    public void setGrantType(GrantType grantType) {
        this.grantType = grantType;
    }

    public @Nullable String getClientId() {
        return this.clientId;
    }

    public void setClientId(@Nullable String clientId) {
        this.clientId = clientId;
    }

    public @Nullable String getClientSecret() {
        return this.clientSecret;
    }

    public void setClientSecret(@Nullable String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public ClientAuthMethod getClientAuthMethod() {
        return this.clientAuthMethod;
    }

    public void setClientAuthMethod(ClientAuthMethod clientAuthMethod) {
        this.clientAuthMethod = clientAuthMethod;
    }

    public List<String> getScope() {
        return this.scope;
    }

    public void setScope(List<String> scope) {
        this.scope = scope;
    }

    public @Nullable String getUsername() {
        return this.username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return this.password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable String getRefreshToken() {
        return this.refreshToken;
    }

    public void setRefreshToken(@Nullable String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public boolean isAllowInsecureHttp() {
        return this.allowInsecureHttp;
    }

    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public ClientAssertion getClientAssertion() {
        return this.clientAssertion;
    }

    public TokenExchange getTokenExchange() {
        return this.tokenExchange;
    }

    public JwtBearer getJwtBearer() {
        return this.jwtBearer;
    }

    public Header getHeader() {
        return this.header;
    }

    public @Nullable String getApiSslBundle() {
        return this.apiSslBundle;
    }

    public void setApiSslBundle(@Nullable String apiSslBundle) {
        this.apiSslBundle = apiSslBundle;
    }

    public Request getRequest() {
        return this.request;
    }

    public Response getResponse() {
        return this.response;
    }

    public Refresh getRefresh() {
        return this.refresh;
    }

    public Shared getShared() {
        return this.shared;
    }

    public Dpop getDpop() {
        return this.dpop;
    }

    /** Whether any property that defines a client is set. */
    boolean isConfigured() {
        return this.tokenUri != null || this.issuerUri != null || this.clientId != null || this.baseUrl != null;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[tokenUri=" + Secrets.redact(this.tokenUri)
                + ((this.issuerUri != null) ? ", issuerUri=" + Secrets.redact(this.issuerUri) : "") + ", baseUrl="
                + Secrets.redact(this.baseUrl) + ", grantType="
                + this.grantType + ", clientId=" + this.clientId + ", clientSecret=" + Secrets.mask(this.clientSecret)
                + ", password=" + Secrets.mask(this.password) + ", refreshToken=" + Secrets.mask(this.refreshToken) + "]";
    }

    /**
     * The signed JWT a client authenticates with under client-auth-method private-key-jwt (signed with a
     * private key) or client-secret-jwt (signed with the client secret), created for every token request.
     */
    public static class ClientAssertion {

        /**
         * Private key signing the assertion, for private-key-jwt: the location of a PEM file (PKCS#8, PKCS#1
         * RSA or SEC 1 EC key), such as file:/etc/keys/client-key.pem, or the PEM text itself. Never logged or
         * shown unmasked.
         */
        private @Nullable String privateKey;

        /**
         * Password of the PEM private key, if it is encrypted. Never logged or shown unmasked.
         */
        private @Nullable String privateKeyPassword;

        /**
         * Name of an SSL bundle (spring.ssl.bundle.*) whose key store holds the private key, instead of
         * private-key; the bundle's key.alias and key.password select the entry.
         */
        private @Nullable String sslBundle;

        /**
         * Signature algorithm. Default: RS256 for an RSA key, ES256, ES384 or ES512 by the curve of an EC key,
         * HS256 for client-secret-jwt.
         */
        private @Nullable SigningAlgorithm algorithm;

        /**
         * Key id sent as the assertion's kid header, so that the server picks the key from the client's JWK set.
         */
        private @Nullable String keyId;

        /**
         * The assertion's aud claim. Default: the token endpoint URL. Some servers want their issuer instead.
         */
        private @Nullable String audience;

        /**
         * How long each assertion is valid: its exp is this long after its iat.
         */
        private Duration lifetime = Duration.ofSeconds(60);

        public @Nullable String getPrivateKey() {
            return this.privateKey;
        }

        public void setPrivateKey(@Nullable String privateKey) {
            this.privateKey = privateKey;
        }

        public @Nullable String getPrivateKeyPassword() {
            return this.privateKeyPassword;
        }

        public void setPrivateKeyPassword(@Nullable String privateKeyPassword) {
            this.privateKeyPassword = privateKeyPassword;
        }

        public @Nullable String getSslBundle() {
            return this.sslBundle;
        }

        public void setSslBundle(@Nullable String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public @Nullable SigningAlgorithm getAlgorithm() {
            return this.algorithm;
        }

        public void setAlgorithm(@Nullable SigningAlgorithm algorithm) {
            this.algorithm = algorithm;
        }

        public @Nullable String getKeyId() {
            return this.keyId;
        }

        public void setKeyId(@Nullable String keyId) {
            this.keyId = keyId;
        }

        public @Nullable String getAudience() {
            return this.audience;
        }

        public void setAudience(@Nullable String audience) {
            this.audience = audience;
        }

        public Duration getLifetime() {
            return this.lifetime;
        }

        public void setLifetime(Duration lifetime) {
            this.lifetime = lifetime;
        }
    }

    /**
     * Where a credential comes from for each token request: exactly one of a value, a file or a bean.
     */
    public static class Credential {

        /**
         * The value itself. Never logged or shown unmasked.
         */
        private @Nullable String value;

        /**
         * Path of a file holding the value (a file: prefix is allowed), read again whenever it changes, such
         * as a Kubernetes projected service account token.
         */
        private @Nullable String location;

        /**
         * Name of a bean of type dev.tokenstarter.token.endpoint.CredentialSource that supplies the value.
         */
        private @Nullable String bean;

        public @Nullable String getValue() {
            return this.value;
        }

        public void setValue(@Nullable String value) {
            this.value = value;
        }

        public @Nullable String getLocation() {
            return this.location;
        }

        public void setLocation(@Nullable String location) {
            this.location = location;
        }

        public @Nullable String getBean() {
            return this.bean;
        }

        public void setBean(@Nullable String bean) {
            this.bean = bean;
        }

        /** How many of value, location and bean are set. */
        int sources() {
            return (hasText(this.value) ? 1 : 0) + (hasText(this.location) ? 1 : 0) + (hasText(this.bean) ? 1 : 0);
        }

        private static boolean hasText(@Nullable String text) {
            return text != null && !text.isBlank();
        }
    }

    /**
     * The token exchange grant (RFC 8693), for grant-type token-exchange.
     */
    public static class TokenExchange {

        /**
         * The token exchanged: it represents the party on whose behalf the new token is requested.
         */
        private final Credential subjectToken = new Credential();

        /**
         * Type of the subject token, e.g. urn:ietf:params:oauth:token-type:jwt for a Kubernetes service account
         * token.
         */
        private String subjectTokenType = dev.tokenstarter.token.endpoint.TokenExchange.ACCESS_TOKEN_TYPE;

        /**
         * Token of the party acting for the subject (delegation); none for impersonation.
         */
        private final Credential actorToken = new Credential();

        /**
         * Type of the actor token.
         */
        private String actorTokenType = dev.tokenstarter.token.endpoint.TokenExchange.ACCESS_TOKEN_TYPE;

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

        public Credential getSubjectToken() {
            return this.subjectToken;
        }

        public String getSubjectTokenType() {
            return this.subjectTokenType;
        }

        public void setSubjectTokenType(String subjectTokenType) {
            this.subjectTokenType = subjectTokenType;
        }

        public Credential getActorToken() {
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

    /**
     * The JWT bearer grant (RFC 7523 §2.1), for grant-type jwt-bearer.
     */
    public static class JwtBearer {

        /**
         * The JWT presented as the grant, issued by a party the authorization server trusts.
         */
        private final Credential assertion = new Credential();

        public Credential getAssertion() {
            return this.assertion;
        }
    }

    /**
     * How the token is put on API requests.
     */
    public static class Header {

        /**
         * Request header carrying the token, e.g. Authorization or X-Auth-Token.
         */
        private String name = "Authorization";

        /**
         * Prefix before the token value; empty sends the bare token.
         */
        private String scheme = "Bearer";

        public String getName() {
            return this.name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getScheme() {
            return this.scheme;
        }

        public void setScheme(String scheme) {
            this.scheme = scheme;
        }
    }

    /**
     * The token request: its method, encoding, extra headers and parameters, timeouts and TLS.
     */
    public static class Request {

        /**
         * HTTP method of the token request: POST, PUT or GET (parameters in the query string).
         */
        private String method = "POST";

        /**
         * Encoding of the token request parameters.
         */
        private BodyFormat bodyFormat = BodyFormat.FORM;

        /**
         * Additional headers sent with every token request.
         */
        private Map<String, String> headers = new LinkedHashMap<>();

        /**
         * Additional parameters sent with every token request (for non-standard endpoints).
         */
        private Map<String, String> extraParameters = new LinkedHashMap<>();

        /**
         * How the refresh token is presented when a token is refreshed: as the RFC 6749 form parameter
         * (grant_type=refresh_token, refresh_token=...), or as an "Authorization: Bearer" header, the refresh
         * request's only credential, with no grant parameters or client credentials (an empty body unless
         * extra-parameters are set), as some non-standard endpoints expect. The bearer header cannot be combined
         * with client-auth-method client-secret-basic, which uses the same header.
         */
        private RefreshTokenPresentation refreshTokenPresentation = RefreshTokenPresentation.FORM_PARAMETER;

        /**
         * Connect timeout for the token endpoint.
         */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /**
         * Time allowed to receive the whole token response.
         */
        private Duration readTimeout = Duration.ofSeconds(10);

        /**
         * Largest token response body accepted.
         */
        private DataSize maxResponseSize = DataSize.ofMegabytes(1);

        /**
         * TLS for the connection to the token endpoint.
         */
        private final Ssl ssl = new Ssl();

        public String getMethod() {
            return this.method;
        }

        public void setMethod(String method) {
            this.method = method;
        }

        public BodyFormat getBodyFormat() {
            return this.bodyFormat;
        }

        public void setBodyFormat(BodyFormat bodyFormat) {
            this.bodyFormat = bodyFormat;
        }

        public Map<String, String> getHeaders() {
            return this.headers;
        }

        public void setHeaders(Map<String, String> headers) {
            this.headers = headers;
        }

        public Map<String, String> getExtraParameters() {
            return this.extraParameters;
        }

        public void setExtraParameters(Map<String, String> extraParameters) {
            this.extraParameters = extraParameters;
        }

        public RefreshTokenPresentation getRefreshTokenPresentation() {
            return this.refreshTokenPresentation;
        }

        public void setRefreshTokenPresentation(RefreshTokenPresentation refreshTokenPresentation) {
            this.refreshTokenPresentation = refreshTokenPresentation;
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getReadTimeout() {
            return this.readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        public DataSize getMaxResponseSize() {
            return this.maxResponseSize;
        }

        public void setMaxResponseSize(DataSize maxResponseSize) {
            this.maxResponseSize = maxResponseSize;
        }

        public Ssl getSsl() {
            return this.ssl;
        }

        /**
         * TLS for the connection to the token endpoint.
         */
        public static class Ssl {

            /**
             * Name of the SSL bundle (spring.ssl.bundle.*) for the token endpoint: the certificates it
             * trusts and, if it has a key, the client certificate presented. Empty:
             * spring.http.clients.ssl.bundle, else the JVM's trust store.
             */
            private @Nullable String bundle;

            public @Nullable String getBundle() {
                return this.bundle;
            }

            public void setBundle(@Nullable String bundle) {
                this.bundle = bundle;
            }
        }
    }

    /**
     * Field mapping of the token response, as JSON pointers (/data/token) or top-level names, and the
     * lifetime assumed when the response has none.
     */
    public static class Response {

        /**
         * Field holding the token value.
         */
        private String accessToken = "access_token";

        /**
         * Field holding the token type.
         */
        private String tokenType = "token_type";

        /**
         * Field holding the lifetime in seconds (a number or a numeric string).
         */
        private String expiresIn = "expires_in";

        /**
         * Field holding the absolute expiry (epoch seconds or ISO-8601), read when expires-in is absent.
         * Empty: not read.
         */
        private @Nullable String expiresAt;

        /**
         * Field holding the refresh token.
         */
        private String refreshToken = "refresh_token";

        /**
         * Field holding the granted scopes.
         */
        private String scope = "scope";

        /**
         * Field holding a server hint, in seconds, for when to refresh; the earlier of it and the refresh
         * window wins.
         */
        private String refreshIn = "refresh_in";

        /**
         * Token type the endpoint must issue, case-insensitive. Empty accepts any type.
         */
        private String requiredTokenType = "Bearer";

        /**
         * Lifetime assumed when the token response has no expiry and the token is not a JWT with an exp
         * claim.
         */
        private Duration defaultLifetime = Duration.ofMinutes(5);

        public String getAccessToken() {
            return this.accessToken;
        }

        public void setAccessToken(String accessToken) {
            this.accessToken = accessToken;
        }

        public String getTokenType() {
            return this.tokenType;
        }

        public void setTokenType(String tokenType) {
            this.tokenType = tokenType;
        }

        public String getExpiresIn() {
            return this.expiresIn;
        }

        public void setExpiresIn(String expiresIn) {
            this.expiresIn = expiresIn;
        }

        public @Nullable String getExpiresAt() {
            return this.expiresAt;
        }

        public void setExpiresAt(@Nullable String expiresAt) {
            this.expiresAt = expiresAt;
        }

        public String getRefreshToken() {
            return this.refreshToken;
        }

        public void setRefreshToken(String refreshToken) {
            this.refreshToken = refreshToken;
        }

        public String getScope() {
            return this.scope;
        }

        public void setScope(String scope) {
            this.scope = scope;
        }

        public String getRefreshIn() {
            return this.refreshIn;
        }

        public void setRefreshIn(String refreshIn) {
            this.refreshIn = refreshIn;
        }

        public String getRequiredTokenType() {
            return this.requiredTokenType;
        }

        public void setRequiredTokenType(String requiredTokenType) {
            this.requiredTokenType = requiredTokenType;
        }

        public Duration getDefaultLifetime() {
            return this.defaultLifetime;
        }

        public void setDefaultLifetime(Duration defaultLifetime) {
            this.defaultLifetime = defaultLifetime;
        }
    }

    /**
     * When tokens are fetched and refreshed, how long callers wait, and the backoff after failures.
     */
    public static class Refresh {

        /**
         * How long before expiry a token is refreshed in the background while callers keep using it.
         * Capped at half the token's lifetime.
         */
        private Duration before = Duration.ofSeconds(60);

        /**
         * How long before expiry a token is no longer handed out; callers then wait for a new one. Capped
         * at a quarter of the token's lifetime.
         */
        private Duration expiryMargin = Duration.ofSeconds(5);

        /**
         * Upper bound of the random advance of each scheduled refresh (at most a tenth of the token's
         * lifetime is used), so that instances sharing a token endpoint do not all call it at once.
         */
        private Duration jitter = Duration.ofSeconds(30);

        /**
         * How long a blocking caller (RestClient) waits for a token being fetched.
         */
        private Duration waitTimeout = Duration.ofSeconds(30);

        /**
         * Whether the first token is fetched at startup (in the background, unless fail-fast is on) rather
         * than by the first API call.
         */
        private boolean eager = true;

        /**
         * Whether startup fails when the first token cannot be obtained. Implies an eager fetch.
         */
        private boolean failFast;

        /**
         * Shortest time between two token requests caused by the API rejecting a token (401). An API that
         * rejects fresh tokens too (wrong audience, say) then costs at most one token request per
         * interval; calls in between get the 401. With shared.enabled the limit holds for the whole fleet.
         * Zero for no limit.
         */
        private Duration minRefetchInterval = Duration.ofSeconds(10);

        /**
         * Backoff between failed token requests.
         */
        private final Retry retry = new Retry();

        public Duration getBefore() {
            return this.before;
        }

        public void setBefore(Duration before) {
            this.before = before;
        }

        public Duration getExpiryMargin() {
            return this.expiryMargin;
        }

        public void setExpiryMargin(Duration expiryMargin) {
            this.expiryMargin = expiryMargin;
        }

        public Duration getJitter() {
            return this.jitter;
        }

        public void setJitter(Duration jitter) {
            this.jitter = jitter;
        }

        public Duration getWaitTimeout() {
            return this.waitTimeout;
        }

        public void setWaitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
        }

        public boolean isEager() {
            return this.eager;
        }

        public void setEager(boolean eager) {
            this.eager = eager;
        }

        public boolean isFailFast() {
            return this.failFast;
        }

        public void setFailFast(boolean failFast) {
            this.failFast = failFast;
        }

        public Duration getMinRefetchInterval() {
            return this.minRefetchInterval;
        }

        public void setMinRefetchInterval(Duration minRefetchInterval) {
            this.minRefetchInterval = minRefetchInterval;
        }

        public Retry getRetry() {
            return this.retry;
        }

        /**
         * Exponential backoff with full jitter between failed token requests.
         */
        public static class Retry {

            /**
             * Bound of the delay after the first failure; it doubles with each further failure. 0 disables
             * the backoff, so every caller may start a new token request: not recommended.
             */
            private Duration initialBackoff = Duration.ofSeconds(1);

            /**
             * Largest bound of the delay between attempts.
             */
            private Duration maxBackoff = Duration.ofSeconds(60);

            public Duration getInitialBackoff() {
                return this.initialBackoff;
            }

            public void setInitialBackoff(Duration initialBackoff) {
                this.initialBackoff = initialBackoff;
            }

            public Duration getMaxBackoff() {
                return this.maxBackoff;
            }

            public void setMaxBackoff(Duration maxBackoff) {
                this.maxBackoff = maxBackoff;
            }
        }
    }

    /**
     * Sharing one token, one refresh and one refresh lock across every instance of the application, through
     * the application's own Redis (Spring Data Redis with Lettuce, {@code spring.data.redis.*}).
     */
    public static class Shared {

        /**
         * Whether the instances share this client's token through Redis: one token request per token
         * lifetime for the whole fleet instead of one per instance. Needs Spring Data Redis with Lettuce
         * and a RedisConnectionFactory.
         */
        private boolean enabled;

        /**
         * Prefix of the Redis keys of this client's token, refresh lease and publication channel. Default:
         * token-starter:{APP:CLIENT:DIGEST} (APP is spring.application.name, CLIENT the client name, DIGEST
         * the client identity's digest). The braces are a Redis Cluster hash tag, which puts every key of the
         * client in one slot; a prefix without one is used in braces ({orders}:entry for "orders"). Instances
         * share a token when they use the same prefix and the same client identity (token endpoint or issuer,
         * client id, grant, scopes, audience, resource); an entry of another identity under the prefix is
         * never used.
         */
        private @Nullable String keyPrefix;

        /**
         * Key (256 bits, base64) that encrypts the tokens stored in Redis (AES-GCM, with the client name
         * as associated data). Without it tokens are stored in plain text. Never logged or shown unmasked.
         */
        private @Nullable String encryptionKey;

        /**
         * How long one Redis command may take; after that, or when Redis fails, this instance fetches its
         * own tokens until Redis answers again.
         */
        private Duration commandTimeout = Duration.ofMillis(500);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public @Nullable String getEncryptionKey() {
            return this.encryptionKey;
        }

        public void setEncryptionKey(@Nullable String encryptionKey) {
            this.encryptionKey = encryptionKey;
        }

        public Duration getCommandTimeout() {
            return this.commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        @Override
        public String toString() {
            return "Shared[enabled=" + this.enabled + ", keyPrefix=" + this.keyPrefix + ", encryptionKey="
                    + ((this.encryptionKey != null) ? "…" : "none") + ", commandTimeout=" + this.commandTimeout + "]";
        }
    }

    /**
     * DPoP (RFC 9449): a key pair per client whose proof goes with every token request and, when the endpoint
     * issues DPoP-bound tokens, with every API call.
     */
    public static class Dpop {

        /**
         * Whether DPoP proofs are sent. The token endpoint then binds the token to the client's key (token
         * type DPoP), and API calls carry "Authorization: DPoP <token>" and a proof; a Bearer token the
         * endpoint issues instead is sent as before.
         */
        private boolean enabled;

        /**
         * Signing algorithm of the proofs.
         */
        private DPoPAlgorithm algorithm = DPoPAlgorithm.ES256;

        /**
         * PEM file with the private key (PKCS#8, or SEC 1 EC / PKCS#1 RSA), e.g. file:/etc/keys/dpop.pem. Empty:
         * a key pair generated in memory at startup, so each instance and restart has its own. Never logged.
         */
        private @Nullable String keyLocation;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public DPoPAlgorithm getAlgorithm() {
            return this.algorithm;
        }

        public void setAlgorithm(DPoPAlgorithm algorithm) {
            this.algorithm = algorithm;
        }

        public @Nullable String getKeyLocation() {
            return this.keyLocation;
        }

        public void setKeyLocation(@Nullable String keyLocation) {
            this.keyLocation = keyLocation;
        }
    }
}
