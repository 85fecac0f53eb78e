package dev.tokenstarter.sample.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The demo's token endpoint, answering exactly as the API this project was first written for: the first token
 * from a plain POST with the client credentials in the form (no {@code grant_type}); a refresh is a POST with
 * an empty body and the refresh token as {@code Authorization: Bearer <refresh_token>}; every answer is
 * {@code {"access_token":…,"refresh_token":…,"token_type":"bearer","expires_in":…}}; refresh tokens rotate, and
 * a used one is answered 401 {@code invalid_grant}; a refresh token presented any other way 401
 * {@code invalid_request}.
 */
@RestController
@Profile("demo")
class DemoTokenEndpoint {

    private static final Logger logger = LoggerFactory.getLogger(DemoTokenEndpoint.class);

    private final DemoTokenStore tokens;

    private final DemoProperties properties;

    DemoTokenEndpoint(DemoTokenStore tokens, DemoProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping(path = "/demo/oauth/token", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return exchange.getFormData().map((form) -> {
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                if (!form.isEmpty() || exchange.getRequest().getHeaders().getContentLength() > 0) {
                    return error(HttpStatus.UNAUTHORIZED, "invalid_request"); // a refresh has an empty body
                }
                if (!tokens.redeem(authorization.substring(7).trim())) {
                    logger.info("demo token endpoint: refused a used or unknown refresh token");
                    return error(HttpStatus.UNAUTHORIZED, "invalid_grant");
                }
                logger.info("demo token endpoint: refresh by Authorization: Bearer with an empty body; refresh token rotated");
                return answer();
            }
            if (form.containsKey("refresh_token")) {
                return error(HttpStatus.UNAUTHORIZED, "invalid_request"); // a refresh in any other shape
            }
            if (!properties.clientId().equals(form.getFirst("client_id"))
                    || !properties.clientSecret().equals(form.getFirst("client_secret"))) {
                return error(HttpStatus.UNAUTHORIZED, "invalid_client");
            }
            logger.info("demo token endpoint: first token for {} (client credentials in the form)", properties.clientId());
            tokens.countFullGrant();
            return answer();
        });
    }

    private ResponseEntity<Map<String, Object>> answer() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue());
        body.put("refresh_token", tokens.issueRefreshToken());
        body.put("token_type", "bearer");
        body.put("expires_in", tokens.lifetimeSeconds());
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error) {
        return ResponseEntity.status(status).body(Map.of("error", error));
    }
}
