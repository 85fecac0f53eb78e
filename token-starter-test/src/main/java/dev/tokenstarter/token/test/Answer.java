package dev.tokenstarter.token.test;

/**
 * What the token path answers a request with, sent with {@code Content-Type: application/json}.
 *
 * @param status the HTTP status
 * @param body the body
 */
record Answer(int status, String body) {

    static final Answer TEMPORARILY_UNAVAILABLE = new Answer(503, "{\"error\":\"temporarily_unavailable\"}");
}
