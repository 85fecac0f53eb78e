package dev.tokenstarter.token.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mockserver.integration.ClientAndServer;

/**
 * The servers of an end-to-end test on loopback: a token endpoint, the API, and a foreign host that must
 * never see the token, each an in-process MockServer started when first asked for, reset before each test
 * and stopped after the class. Registered with
 * {@code @RegisterExtension static final LoopbackServers servers = new LoopbackServers();}.
 */
public final class LoopbackServers implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private ClientAndServer tokens;

    private ClientAndServer api;

    private ClientAndServer foreign;

    private TokenEndpointMock endpoint;

    @Override
    public void beforeAll(ExtensionContext context) {
        tokens();
        api();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (ClientAndServer server : new ClientAndServer[] { tokens, api, foreign }) {
            if (server != null) {
                server.reset();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (ClientAndServer server : new ClientAndServer[] { tokens, api, foreign }) {
            if (server != null) {
                server.stop();
            }
        }
        tokens = null;
        api = null;
        foreign = null;
        endpoint = null;
    }

    /** The server behind the token endpoint. */
    public synchronized ClientAndServer tokens() {
        if (tokens == null) {
            tokens = ClientAndServer.startClientAndServer(0);
            endpoint = new TokenEndpointMock(tokens);
        }
        return tokens;
    }

    /** The token endpoint at {@value TokenEndpointMock#PATH}. */
    public TokenEndpointMock endpoint() {
        tokens();
        return endpoint;
    }

    /** The API server. */
    public synchronized ClientAndServer api() {
        if (api == null) {
            api = ClientAndServer.startClientAndServer(0);
        }
        return api;
    }

    /** {@code http://localhost:<port>} of the API. */
    public String apiUrl() {
        return "http://localhost:" + api().getPort();
    }

    /** Another origin, which must never receive the token. */
    public synchronized ClientAndServer foreign() {
        if (foreign == null) {
            foreign = ClientAndServer.startClientAndServer(0);
        }
        return foreign;
    }
}
