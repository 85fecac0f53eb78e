package dev.tokenstarter.token.support;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.matchers.TimeToLive;
import org.mockserver.matchers.Times;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.MediaType;

import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * An in-process MockServer playing a token endpoint at {@code /oauth/token}, with helpers to script its
 * answers. Registered with {@code @RegisterExtension static final TokenEndpointMock endpoint = new
 * TokenEndpointMock();} it starts a server for the test class and resets it before each test.
 */
public final class TokenEndpointMock implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    public static final String PATH = "/oauth/token";

    /**
     * MockServer's own CA certificate (a self-signed one shipped in mockserver-core), which issues the
     * certificates it serves over TLS. No JVM trusts it by default; an SSL bundle can.
     */
    public static final String CA_CERTIFICATE = "classpath:org/mockserver/socket/CertificateAuthorityCertificate.pem";

    private ClientAndServer server;

    private boolean owned;

    private final AtomicInteger nextPriority = new AtomicInteger(1_000_000);

    /** A mock that starts (and stops) its own server when registered as an extension. */
    public TokenEndpointMock() {
    }

    /** A mock over a server the test manages itself. */
    public TokenEndpointMock(ClientAndServer server) {
        this.server = server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (server == null) {
            server = ClientAndServer.startClientAndServer(0);
            owned = true;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owned) {
            server.stop();
            server = null;
            owned = false;
        }
    }

    /** The MockServer behind this endpoint, for expectations beyond the helpers. */
    public ClientAndServer server() {
        return server;
    }

    public URI uri() {
        return URI.create("http://localhost:" + server.getPort() + PATH);
    }

    /** The same endpoint over TLS (MockServer serves both on one port), with a certificate issued by {@link #CA_CERTIFICATE}. */
    public URI httpsUri() {
        return URI.create("https://localhost:" + server.getPort() + PATH);
    }

    public static HttpRequest tokenRequest() {
        return request().withMethod("POST").withPath(PATH);
    }

    public static String tokenJson(String token, long expiresIn) {
        return "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn + "}";
    }

    public static HttpResponse json(int status, String body) {
        return response().withStatusCode(status).withContentType(MediaType.APPLICATION_JSON_UTF_8).withBody(body);
    }

    /** The next request gets {@code token} valid for {@code expiresIn} seconds (after earlier "once" answers). */
    public void issueOnce(String token, long expiresIn) {
        respondOnce(json(200, tokenJson(token, expiresIn)));
    }

    /** The next request gets {@code response}, after the "once" answers registered before it. */
    public void respondOnce(HttpResponse response) {
        respondOnce(tokenRequest(), response);
    }

    /**
     * The next request matching {@code request} gets {@code response}. Each "once" answer gets a lower priority
     * than the one before, and all rank above unlimited answers: MockServer does not otherwise promise the
     * order of expectations created within the same millisecond.
     */
    public void respondOnce(HttpRequest request, HttpResponse response) {
        server.when(request, Times.once(), TimeToLive.unlimited(), nextPriority.decrementAndGet()).respond(response);
    }

    /** Registers {@code response} for one request to {@code server} ahead of its unlimited expectations. */
    public static void respondFirstOnce(ClientAndServer server, HttpRequest request, HttpResponse response) {
        server.when(request, Times.once(), TimeToLive.unlimited(), 100).respond(response);
    }

    public int requestCount() {
        return server.retrieveRecordedRequests(tokenRequest()).length;
    }

    public HttpRequest[] requests() {
        return server.retrieveRecordedRequests(tokenRequest());
    }
}
