package dev.tokenstarter.token.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The API beside the token path: 200 for a valid token, 401 otherwise (or always, if it rejects every
 * token), each call counted by the status of the token it presented, and recorded if the endpoint records
 * API requests.
 */
final class LoopbackApi implements HttpHandler {

    private final TokenLedger ledger;

    private final boolean rejectsEveryToken;

    private final boolean records;

    private final EndpointCounts counts;

    LoopbackApi(TokenLedger ledger, boolean rejectsEveryToken, boolean records, EndpointCounts counts) {
        this.ledger = ledger;
        this.rejectsEveryToken = rejectsEveryToken;
        this.records = records;
        this.counts = counts;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (records) {
            counts.recordApiRequest(new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(), exchange.getRequestHeaders(),
                    new String(body, StandardCharsets.UTF_8)));
        }
        TokenStatus status = ledger.status(Exchanges.bearerToken(exchange.getRequestHeaders().getFirst("Authorization")));
        counts.apiCall(status);
        if (status == TokenStatus.VALID && !rejectsEveryToken) {
            Exchanges.send(exchange, 200, "[]");
        }
        else {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            Exchanges.send(exchange, 401, "");
        }
    }
}
