package dev.tokenstarter.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real OAuth 2.0 setup in one servlet application: Spring Authorization Server issuing JWT access tokens
 * to a registered confidential client (client_credentials), and a protected API that validates them through
 * the server's JWKS endpoint, with no clock skew allowance and a revocation list of token ids. A token request
 * with a DPoP proof gets a DPoP-bound token, which the API accepts only with a proof of the same key.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class AuthorizationServerApplication {

    /** Token ids ({@code jti}) the API refuses from now on. */
    static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer((server) -> http.securityMatcher(server.getEndpointsMatcher()))
            .authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
            .csrf((csrf) -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, JwtDecoder apiJwtDecoder) throws Exception {
        http.securityMatcher("/api/**")
            .authorizeHttpRequests((authorize) -> authorize.anyRequest().hasAuthority("SCOPE_orders.read"))
            .oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> jwt.decoder(apiJwtDecoder))
                // DPoP-bound tokens need their proof (and are refused as Bearer); plain Bearer tokens work as before
                .dPoP(Customizer.withDefaults()))
            .csrf((csrf) -> csrf.disable());
        return http.build();
    }

    @Bean
    JwtDecoder apiJwtDecoder(@Value("${server.port}") int port) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri("http://localhost:" + port + "/oauth2/jwks").build();
        OAuth2TokenValidator<Jwt> notRevoked = (jwt) -> REVOKED.contains(jwt.getId())
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "token revoked", null))
                : OAuth2TokenValidatorResult.success();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(Duration.ZERO), notRevoked));
        return decoder;
    }

    @RestController
    static class OrdersApi {

        @GetMapping("/api/orders")
        List<Map<String, Object>> orders() {
            return List.of(Map.of("id", 1, "item", "coffee"));
        }
    }
}
