package dev.tokenstarter.sample.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

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
 * A minimal OAuth 2.0 token endpoint (client_credentials, client_secret_basic) for the demo.
 */
@RestController
@Profile("demo")
class DemoTokenEndpoint {

    private final DemoTokenStore tokens;

    private final DemoProperties properties;

    DemoTokenEndpoint(DemoTokenStore tokens, DemoProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping(path = "/demo/oauth/token", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (properties.clientId() + ":" + properties.clientSecret()).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
            return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid_client")));
        }
        return exchange.getFormData().map((form) -> {
            if (!"client_credentials".equals(form.getFirst("grant_type"))) {
                return ResponseEntity.badRequest().body(Map.of("error", "unsupported_grant_type"));
            }
            return ResponseEntity.ok(Map.of("access_token", tokens.issue(), "token_type", "bearer", "expires_in",
                    tokens.lifetimeSeconds()));
        });
    }
}
