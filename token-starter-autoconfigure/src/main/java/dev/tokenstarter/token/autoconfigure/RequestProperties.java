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

    /** Creates token request settings with the defaults. */
    public RequestProperties() {
    }

    /** {@return the HTTP method of the token request} */
    public String getMethod() {
        return this.method;
    }

    /** Sets the HTTP method of the token request.
     * @param method POST, PUT or GET */
    public void setMethod(String method) {
        this.method = method;
    }

    /** {@return the encoding of the token request parameters} */
    public BodyFormat getBodyFormat() {
        return this.bodyFormat;
    }

    /** Sets the encoding of the token request parameters.
     * @param bodyFormat the encoding */
    public void setBodyFormat(BodyFormat bodyFormat) {
        this.bodyFormat = bodyFormat;
    }

    /** {@return the additional headers sent with every token request} */
    public Map<String, String> getHeaders() {
        return this.headers;
    }

    /** Sets the additional headers sent with every token request.
     * @param headers the headers by name */
    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    /** {@return the additional parameters sent with every token request} */
    public Map<String, String> getExtraParameters() {
        return this.extraParameters;
    }

    /** Sets the additional parameters sent with every token request.
     * @param extraParameters the parameters by name */
    public void setExtraParameters(Map<String, String> extraParameters) {
        this.extraParameters = extraParameters;
    }

    /** {@return how the refresh token is presented when a token is refreshed} */
    public RefreshTokenPresentation getRefreshTokenPresentation() {
        return this.refreshTokenPresentation;
    }

    /** Sets how the refresh token is presented when a token is refreshed.
     * @param refreshTokenPresentation the presentation */
    public void setRefreshTokenPresentation(RefreshTokenPresentation refreshTokenPresentation) {
        this.refreshTokenPresentation = refreshTokenPresentation;
    }

    /** {@return the connect timeout for the token endpoint} */
    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    /** Sets the connect timeout for the token endpoint.
     * @param connectTimeout the timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** {@return the time allowed to receive the whole token response} */
    public Duration getReadTimeout() {
        return this.readTimeout;
    }

    /** Sets the time allowed to receive the whole token response.
     * @param readTimeout the timeout */
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /** {@return the largest token response body accepted} */
    public DataSize getMaxResponseSize() {
        return this.maxResponseSize;
    }

    /** Sets the largest token response body accepted.
     * @param maxResponseSize the size */
    public void setMaxResponseSize(DataSize maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    /** {@return the TLS settings for the connection to the token endpoint} */
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

        /** Creates TLS settings with no bundle set. */
        public Ssl() {
        }

        /** {@return the name of the SSL bundle for the token endpoint, or {@code null} for the default} */
        public @Nullable String getBundle() {
            return this.bundle;
        }

        /** Sets the name of the SSL bundle for the token endpoint.
         * @param bundle the bundle name, or {@code null} for the default */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }
}
