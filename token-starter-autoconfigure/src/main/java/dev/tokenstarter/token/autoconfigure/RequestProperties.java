package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.RefreshTokenPresentation;

/**
 * The token request: its method, encoding, extra headers and parameters, timeouts and TLS.
 * The {@code request.*} keys of a client ({@link TokenClientProperties}).
 */
public class RequestProperties {

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
