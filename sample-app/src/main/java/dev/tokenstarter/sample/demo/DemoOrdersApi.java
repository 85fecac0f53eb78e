package dev.tokenstarter.sample.demo;

import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A protected demo API: answers 401 unless the request carries a valid, unexpired demo token.
 */
@RestController
@Profile("demo")
class DemoOrdersApi {

    private final DemoTokenStore tokens;

    DemoOrdersApi(DemoTokenStore tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/demo/api/orders")
    ResponseEntity<List<Map<String, Object>>> orders(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return authorized(authorization, List.of(Map.of("id", 1, "item", "coffee"), Map.of("id", 2, "item", "tea")));
    }

    /** The API of the demo's second client, {@code billing}. */
    @GetMapping("/demo/billing/invoices")
    ResponseEntity<List<Map<String, Object>>> invoices(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return authorized(authorization, List.of(Map.of("id", 7, "total", 12)));
    }

    /** The API of the demo's third client, {@code inventory}. */
    @GetMapping("/demo/inventory/items")
    ResponseEntity<List<Map<String, Object>>> items(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return authorized(authorization, List.of(Map.of("sku", "coffee", "stock", 40)));
    }

    private ResponseEntity<List<Map<String, Object>>> authorized(String authorization, List<Map<String, Object>> body) {
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !tokens.isValid(authorization.substring("Bearer ".length()))) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build();
        }
        return ResponseEntity.ok(body);
    }
}
