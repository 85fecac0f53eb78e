package dev.tokenstarter.token.support;

import java.net.URI;

import org.mockserver.integration.ClientAndServer;
import org.mockserver.matchers.Times;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.MediaType;

import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * Helpers over an in-process MockServer playing a token endpoint at {@code /oauth/token}.
 */
public final class TokenEndpointMock {

    public static final String PATH = "/oauth/token";

    private final ClientAndServer server;

    public TokenEndpointMock(ClientAndServer server) {
        this.server = server;
    }

    public URI uri() {
        return URI.create("http://localhost:" + server.getPort() + PATH);
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

    /** The next request gets {@code token} valid for {@code expiresIn} seconds. */
    public void issueOnce(String token, long expiresIn) {
        server.when(tokenRequest(), Times.once()).respond(json(200, tokenJson(token, expiresIn)));
    }

    public void respondOnce(HttpResponse response) {
        server.when(tokenRequest(), Times.once()).respond(response);
    }

    public int requestCount() {
        return server.retrieveRecordedRequests(tokenRequest()).length;
    }

    public HttpRequest[] requests() {
        return server.retrieveRecordedRequests(tokenRequest());
    }
}
