package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.GrantType;

/**
 * The settings of one API client. Used for {@code api.auth.*} and for each {@code api.auth.clients.<name>.*}.
 * The top level says who the client is and where its token goes; {@code request.*} how the token endpoint
 * is called, {@code response.*} how its answer is read, and {@code refresh.*} when tokens are fetched.
 */
public class TokenClientProperties {

    /** Token endpoint URL, e.g. https://auth.example.com/oauth/token. */
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

    /** OAuth 2.0 grant used to obtain tokens. */
    private GrantType grantType = GrantType.CLIENT_CREDENTIALS;

    /** Client id registered at the token endpoint. */
    private @Nullable String clientId;

    /** Client secret registered at the token endpoint. Never logged or shown unmasked. */
    private @Nullable String clientSecret;

    /** How the client authenticates to the token endpoint. */
    private ClientAuthMethod clientAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;

    /** Scopes to request; none means the endpoint's default. */
    private List<String> scope = new ArrayList<>();

    /** Resource owner's username, for the password grant. */
    private @Nullable String username;

    /** Resource owner's password, for the password grant. Never logged or shown unmasked. */
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

    /** The signed JWT of client-auth-method private-key-jwt and client-secret-jwt. */
    @NestedConfigurationProperty
    private final ClientAssertionProperties clientAssertion = new ClientAssertionProperties();

    /** The token exchange grant (RFC 8693): the token exchanged, and what for. */
    @NestedConfigurationProperty
    private final TokenExchangeProperties tokenExchange = new TokenExchangeProperties();

    /** The JWT bearer grant (RFC 7523 §2.1): the assertion presented. */
    @NestedConfigurationProperty
    private final JwtBearerProperties jwtBearer = new JwtBearerProperties();

    /** How the token is put on API requests. */
    @NestedConfigurationProperty
    private final HeaderProperties header = new HeaderProperties();

    /**
     * Name of the SSL bundle (spring.ssl.bundle.*) for the preconfigured WebClient and RestClient's calls to
     * the API: the certificates they trust and, if it has a key, the client certificate they present, which
     * certificate-bound tokens (RFC 8705, cnf.x5t#S256) need on every call. Usually the same bundle as
     * request.ssl.bundle. Empty: spring.http.clients.ssl.bundle, else the JVM's trust store.
     */
    private @Nullable String apiSslBundle;

    /** How the token endpoint is called. */
    @NestedConfigurationProperty
    private final RequestProperties request = new RequestProperties();

    /** Where the token response keeps its fields, and the lifetime assumed when it has none. */
    @NestedConfigurationProperty
    private final ResponseProperties response = new ResponseProperties();

    /** When tokens are fetched and refreshed, and the backoff after failures. */
    @NestedConfigurationProperty
    private final RefreshProperties refresh = new RefreshProperties();

    /** Sharing one token across the instances of an application through Redis. */
    @NestedConfigurationProperty
    private final SharedProperties shared = new SharedProperties();

    /** DPoP (RFC 9449): proof of possession of a key pair on token requests and API calls. */
    @NestedConfigurationProperty
    private final DpopProperties dpop = new DpopProperties();

    /** Calling the API on behalf of the user whose request is being served. */
    @NestedConfigurationProperty
    private final OnBehalfOfProperties onBehalfOf = new OnBehalfOfProperties();

    /** Creates the settings of a client with the defaults. */
    public TokenClientProperties() {
    }

    /** {@return the token endpoint URL, or {@code null}} */
    public @Nullable URI getTokenUri() {
        return this.tokenUri;
    }

    /** Sets the token endpoint URL.
     * @param tokenUri the URL */
    public void setTokenUri(@Nullable URI tokenUri) {
        this.tokenUri = tokenUri;
    }

    /** {@return the authorization server's issuer identifier, or {@code null}} */
    public @Nullable URI getIssuerUri() {
        return this.issuerUri;
    }

    /** Sets the authorization server's issuer identifier.
     * @param issuerUri the issuer identifier */
    public void setIssuerUri(@Nullable URI issuerUri) {
        this.issuerUri = issuerUri;
    }

    /** {@return the base URL of the API the token is for, or {@code null}} */
    public @Nullable URI getBaseUrl() {
        return this.baseUrl;
    }

    /** Sets the base URL of the API the token is for.
     * @param baseUrl the base URL */
    public void setBaseUrl(@Nullable URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@return the further origins or host names that may receive the token} */
    public List<String> getAllowedHosts() {
        return this.allowedHosts;
    }

    /** {@return the further HTTP service groups whose clients get this client's token} */
    public List<String> getHttpServiceGroups() {
        return this.httpServiceGroups;
    }

    /** Sets the further HTTP service groups whose clients get this client's token.
     * @param httpServiceGroups the group names */
    public void setHttpServiceGroups(List<String> httpServiceGroups) {
        this.httpServiceGroups = httpServiceGroups;
    }

    /** Sets the further origins or host names that may receive the token.
     * @param allowedHosts the origins or host names */
    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    /** {@return the OAuth 2.0 grant used to obtain tokens} */
    public GrantType getGrantType() {
        return this.grantType;
    }

    /** Sets the OAuth 2.0 grant used to obtain tokens.
     * @param grantType the grant */
    public void setGrantType(GrantType grantType) {
        this.grantType = grantType;
    }

    /** {@return the client id registered at the token endpoint, or {@code null}} */
    public @Nullable String getClientId() {
        return this.clientId;
    }

    /** Sets the client id registered at the token endpoint.
     * @param clientId the client id */
    public void setClientId(@Nullable String clientId) {
        this.clientId = clientId;
    }

    /** {@return the client secret registered at the token endpoint, or {@code null}} */
    public @Nullable String getClientSecret() {
        return this.clientSecret;
    }

    /** Sets the client secret registered at the token endpoint.
     * @param clientSecret the client secret */
    public void setClientSecret(@Nullable String clientSecret) {
        this.clientSecret = clientSecret;
    }

    /** {@return how the client authenticates to the token endpoint} */
    public ClientAuthMethod getClientAuthMethod() {
        return this.clientAuthMethod;
    }

    /** Sets how the client authenticates to the token endpoint.
     * @param clientAuthMethod the method */
    public void setClientAuthMethod(ClientAuthMethod clientAuthMethod) {
        this.clientAuthMethod = clientAuthMethod;
    }

    /** {@return the scopes to request; empty for the endpoint's default} */
    public List<String> getScope() {
        return this.scope;
    }

    /** Sets the scopes to request.
     * @param scope the scopes; empty for the endpoint's default */
    public void setScope(List<String> scope) {
        this.scope = scope;
    }

    /** {@return the resource owner's username for the password grant, or {@code null}} */
    public @Nullable String getUsername() {
        return this.username;
    }

    /** Sets the resource owner's username for the password grant.
     * @param username the username */
    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    /** {@return the resource owner's password for the password grant, or {@code null}} */
    public @Nullable String getPassword() {
        return this.password;
    }

    /** Sets the resource owner's password for the password grant.
     * @param password the password */
    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    /** {@return the initial refresh token for the refresh_token grant, or {@code null}} */
    public @Nullable String getRefreshToken() {
        return this.refreshToken;
    }

    /** Sets the initial refresh token for the refresh_token grant.
     * @param refreshToken the refresh token */
    public void setRefreshToken(@Nullable String refreshToken) {
        this.refreshToken = refreshToken;
    }

    /** {@return whether plain-http URLs to hosts other than the loopback address are allowed} */
    public boolean isAllowInsecureHttp() {
        return this.allowInsecureHttp;
    }

    /** Sets whether plain-http URLs to hosts other than the loopback address are allowed.
     * @param allowInsecureHttp whether to allow them */
    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /** {@return the signed JWT of client-auth-method private-key-jwt and client-secret-jwt} */
    public ClientAssertionProperties getClientAssertion() {
        return this.clientAssertion;
    }

    /** {@return the token exchange grant's settings} */
    public TokenExchangeProperties getTokenExchange() {
        return this.tokenExchange;
    }

    /** {@return the JWT bearer grant's settings} */
    public JwtBearerProperties getJwtBearer() {
        return this.jwtBearer;
    }

    /** {@return how the token is put on API requests} */
    public HeaderProperties getHeader() {
        return this.header;
    }

    /** {@return the name of the SSL bundle for calls to the API, or {@code null} for the default} */
    public @Nullable String getApiSslBundle() {
        return this.apiSslBundle;
    }

    /** Sets the name of the SSL bundle for calls to the API.
     * @param apiSslBundle the bundle name, or {@code null} for the default */
    public void setApiSslBundle(@Nullable String apiSslBundle) {
        this.apiSslBundle = apiSslBundle;
    }

    /** {@return how the token endpoint is called} */
    public RequestProperties getRequest() {
        return this.request;
    }

    /** {@return how the token response is read} */
    public ResponseProperties getResponse() {
        return this.response;
    }

    /** {@return when tokens are fetched and refreshed} */
    public RefreshProperties getRefresh() {
        return this.refresh;
    }

    /** {@return how the token is shared across instances through Redis} */
    public SharedProperties getShared() {
        return this.shared;
    }

    /** {@return the DPoP settings} */
    public DpopProperties getDpop() {
        return this.dpop;
    }

    /** {@return whose token the client sends: the application's own, or the incoming request's} */
    public OnBehalfOfProperties getOnBehalfOf() {
        return this.onBehalfOf;
    }

    /** Whether requests may carry this client's token: it has a {@code base-url} or {@code allowed-hosts}. */
    boolean hasScope() {
        return this.baseUrl != null || !this.allowedHosts.isEmpty();
    }

    /** Whether any property that defines a client is set. */
    boolean isConfigured() {
        return this.tokenUri != null || this.issuerUri != null || this.clientId != null || this.baseUrl != null
                || this.onBehalfOf.getMode() != OnBehalfOfProperties.Mode.NONE;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[tokenUri=" + Secrets.redact(this.tokenUri)
                + ((this.issuerUri != null) ? ", issuerUri=" + Secrets.redact(this.issuerUri) : "") + ", baseUrl="
                + Secrets.redact(this.baseUrl) + ", grantType="
                + this.grantType + ", clientId=" + this.clientId + ", clientSecret=" + Secrets.mask(this.clientSecret)
                + ", password=" + Secrets.mask(this.password) + ", refreshToken=" + Secrets.mask(this.refreshToken) + "]";
    }
}
