package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.web.reactive.function.client.WebClientRequestException;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;

/**
 * What a failed exchange with the authorization server (its token endpoint, its metadata) means, as a
 * {@link TokenFetchException}: a timeout, a TLS handshake failure, an unreachable host.
 */
final class TransportFailures {

    private TransportFailures() {
    }

    static TokenFetchException translate(Throwable error, URI uri, TokenEndpointConfig.Limits limits) {
        Throwable cause = (error instanceof WebClientRequestException && error.getCause() != null) ? error.getCause() : error;
        // Transport exceptions name hosts and ports, never request content, so they are kept as causes.
        String where = uri.getHost() + ":" + port(uri);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (find(cause, SslHandshakeTimeoutException.class) != null) {
            return new TokenFetchException(FailureKind.TIMEOUT, uri, 0, "the TLS handshake with " + where
                    + " got no answer in time: the endpoint may speak plain http on that port (then use http://) or be "
                    + "overloaded", cause);
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof HttpConnectTimeoutException) {
            return new TokenFetchException(FailureKind.TIMEOUT, uri, 0, "no connection to " + where + " within the "
                    + "connect timeout (" + limits.connectTimeout().toMillis() + " ms): the host does not answer (a "
                    + "firewall dropping packets, or the wrong address)", cause);
        }
        if (cause instanceof ReadTimeoutException || cause instanceof SocketTimeoutException
                || cause instanceof HttpTimeoutException) {
            return new TokenFetchException(FailureKind.TIMEOUT, uri, 0, "no complete answer from " + where + " within the "
                    + "read timeout (" + limits.readTimeout().toMillis() + " ms)", cause);
        }
        if (cause instanceof TimeoutException) {
            return new TokenFetchException(FailureKind.TIMEOUT, uri, 0, "no complete answer within the timeout (connect "
                    + limits.connectTimeout().toMillis() + " ms, read " + limits.readTimeout().toMillis() + " ms)"
                    + (https ? "; if the endpoint speaks plain http on that port, a TLS handshake waits like this" : ""),
                    cause);
        }
        if (find(cause, NotSslRecordException.class) != null) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, where + " answered in plain text, not "
                    + "TLS: it speaks plain http on that port (use http://, or the endpoint's https port)", cause);
        }
        SSLException tls = find(cause, SSLException.class);
        if (tls != null) {
            String detail = describe(tls);
            if (untrusted(detail)) {
                return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, "TLS handshake failed: the "
                        + "certificate of " + where + " is not trusted (" + detail + "): it is not issued by a CA the JVM "
                        + "trusts; configure an SSL bundle that trusts it (request.ssl.bundle)", cause);
            }
            if (closedDuringHandshake(detail)) {
                return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, "TLS handshake failed: " + where
                        + " closed the connection during the handshake (" + detail + "): it may speak plain http on that port (then use "
                        + "http://)", cause);
            }
            String hint = clientCertificateRefused(detail)
                    ? "The endpoint did not accept the client certificate: check the key store of request.ssl.bundle "
                            + "and that the endpoint trusts its certificate"
                    : "If the endpoint's certificate is not issued by a CA the JVM trusts, configure an SSL bundle "
                            + "that trusts it (request.ssl.bundle)";
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, "TLS handshake failed (" + detail
                    + "). " + hint, cause);
        }
        UnknownHostException unknownHost = find(cause, UnknownHostException.class);
        if (unknownHost != null) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, "could not reach the endpoint: unknown host '" + uri.getHost()
                    + "': the name does not resolve (check the host in the URL, or DNS)", cause);
        }
        ConnectException connect = find(cause, ConnectException.class);
        if (connect != null) {
            String message = Objects.requireNonNullElse(connect.getMessage(), "");
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, message.toLowerCase(Locale.ROOT)
                .contains("refused") ? "could not reach the endpoint: connection refused by " + where + ": nothing "
                        + "listens there (a wrong port, or the server is down)"
                    : "could not reach the endpoint " + where + " (" + message + ")", cause);
        }
        if (error instanceof WebClientRequestException) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0,
                    "could not reach the endpoint (" + cause.getClass().getSimpleName() + ")", cause);
        }
        return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0,
                "unexpected error while reading the answer (" + cause.getClass().getSimpleName() + ")", cause);
    }

    private static int port(URI uri) {
        return (uri.getPort() != -1) ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The JDK's words for a server certificate without a trusted path. */
    private static boolean untrusted(String detail) {
        return detail.contains("PKIX path") || detail.contains("unable to find valid certification path");
    }

    private static boolean closedDuringHandshake(String detail) {
        String lower = detail.toLowerCase(Locale.ROOT);
        return lower.contains("connection closed while ssl/tls handshake") || lower.contains("remote host terminated the handshake")
                || lower.contains("closed during handshake");
    }

    /** The first {@code type} in the cause chain (at most 10 deep: chains can be cyclic). */
    private static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
        Throwable candidate = error;
        for (int depth = 0; candidate != null && depth < 10; depth++, candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        return null;
    }

    /**
     * The handshake failure and its innermost cause, which names the certificate problem (untrusted issuer,
     * wrong host name, expired): OpenSSL-based engines only say "General OpenSslEngine problem" themselves.
     * A handshake carries no request content, so nothing here can be a secret.
     */
    private static String describe(SSLException tls) {
        String message = Objects.requireNonNullElse(tls.getMessage(), tls.getClass().getSimpleName());
        Throwable root = tls;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
            root = root.getCause();
        }
        return (root != tls && root.getMessage() != null && !message.contains(root.getMessage()))
                ? message + ": " + root.getMessage() : message;
    }


    /**
     * Whether the server sent an alert saying it wanted another client certificate, or one at all. The JDK
     * words an alert received as "Received fatal alert: bad_certificate", OpenSSL as
     * "TLSV1_ALERT_CERTIFICATE_REQUIRED"; the JDK's own rejection of the server's certificate also names
     * certificate_unknown, but not as an alert received.
     */
    private static boolean clientCertificateRefused(String detail) {
        String upper = detail.toUpperCase(Locale.ROOT);
        boolean fromServer = upper.contains("RECEIVED FATAL ALERT") || upper.contains("_ALERT_");
        return fromServer && (upper.contains("CERTIFICATE_REQUIRED") || upper.contains("BAD_CERTIFICATE")
                || upper.contains("UNKNOWN_CA") || upper.contains("CERTIFICATE_UNKNOWN"));
    }
}
