package dev.tokenstarter.token.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint.Mode;

/**
 * The token path: counts and records every request as it arrives, holds it back or delays it as the test
 * asked, and answers it by the mode it arrived in.
 */
final class TokenPath implements HttpHandler {

    private final TokenGrants grants;

    private final HeldRequests holds;

    private final Duration latency;

    private final Duration slowDelay;

    private final EndpointCounts counts;

    /** Switched by the server, under its lifecycle lock; read once per request as it arrives. */
    private volatile Mode mode = Mode.UP;

    TokenPath(TokenGrants grants, HeldRequests holds, Duration latency, Duration slowDelay, EndpointCounts counts) {
        this.grants = grants;
        this.holds = holds;
        this.latency = latency;
        this.slowDelay = slowDelay;
        this.counts = counts;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        counts.requestArrived();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        counts.record(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders(), body));
        Mode current = mode;
        holds.awaitReleaseIfHeld();
        pause(latency);
        if (current == Mode.SLOW) {
            pause(slowDelay);
        }
        Answer answer = (current == Mode.UNAVAILABLE) ? Answer.TEMPORARILY_UNAVAILABLE
                : grants.answer(exchange.getRequestMethod(), body, exchange.getRequestHeaders().getFirst("Authorization"));
        Exchanges.send(exchange, answer.status(), answer.body());
    }

    /** Answers the requests that arrive from now on by this mode. */
    void switchTo(Mode next) {
        mode = next;
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
