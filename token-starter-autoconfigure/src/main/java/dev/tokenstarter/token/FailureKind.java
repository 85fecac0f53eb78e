package dev.tokenstarter.token;

/**
 * Why a token request failed; also the {@code outcome} tag of the fetch metric.
 */
public enum FailureKind {

    /** The endpoint answered 4xx (bad credentials, invalid grant, ...): retrying will not help until configuration changes. */
    CLIENT_ERROR("client_error"),

    /** The endpoint answered 5xx or an unexpected status. */
    SERVER_ERROR("server_error"),

    /** Connecting to the endpoint or reading its answer took longer than the configured timeout. */
    TIMEOUT("timeout"),

    /** The endpoint could not be reached (connection refused or reset, unknown host, TLS handshake failed). */
    CONNECTION_ERROR("connection_error"),

    /** The endpoint answered 2xx but the body is not a usable token response. */
    PARSE_ERROR("parse_error");

    private final String tag;

    FailureKind(String tag) {
        this.tag = tag;
    }

    /** {@return the lower-case metric tag value, e.g. {@code client_error}} */
    public String tag() {
        return tag;
    }
}
