package dev.tokenstarter.token.endpoint;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
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
        if (isTimeout(cause)) {
            return new TokenFetchException(FailureKind.TIMEOUT, uri, 0,
                    "no complete answer within the timeout (connect " + limits.connectTimeout().toMillis() + " ms, read "
                            + limits.readTimeout().toMillis() + " ms)",
                    cause);
        }
        SSLException tls = find(cause, SSLException.class);
        if (tls != null) {
            String detail = describe(tls);
            String hint = clientCertificateRefused(detail)
                    ? "The endpoint did not accept the client certificate: check the key store of request.ssl.bundle "
                            + "and that the endpoint trusts its certificate"
                    : "If the endpoint's certificate is not issued by a CA the JVM trusts, configure an SSL bundle "
                            + "that trusts it (request.ssl.bundle)";
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0, "TLS handshake failed (" + detail
                    + "). " + hint, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || error instanceof WebClientRequestException) {
            return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0,
                    "could not reach the endpoint (" + cause.getClass().getSimpleName() + ")", cause);
        }
        return new TokenFetchException(FailureKind.CONNECTION_ERROR, uri, 0,
                "unexpected error while reading the answer (" + cause.getClass().getSimpleName() + ")", cause);
    }

    /** The total bound's, Netty's, the JDK HttpClient's and blocking sockets' timeouts. */
    private static boolean isTimeout(Throwable cause) {
        return cause instanceof TimeoutException || cause instanceof ReadTimeoutException
                || cause instanceof ConnectTimeoutException || cause instanceof HttpTimeoutException
                || cause instanceof SocketTimeoutException || find(cause, SslHandshakeTimeoutException.class) != null;
    }

    /** The first {@code type} in the cause chain (at most 10 deep: chains can be cyclic). */
    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
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
