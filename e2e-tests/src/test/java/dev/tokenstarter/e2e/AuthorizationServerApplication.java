package dev.tokenstarter.e2e;

import java.security.Principal;
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
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OAuth 2.0 setup in one servlet application: Spring Authorization Server issuing JWT access tokens
 * to a registered confidential client (client_credentials), and a protected API that validates them through
 * the server's JWKS endpoint, with no clock skew allowance and a revocation list of token ids. A token request
 * with a DPoP proof gets a DPoP-bound token, which the API accepts only with a proof of the same key.
 * The public keys of clients that authenticate with private_key_jwt are at {@value #CLIENT_JWKS_PATH}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class AuthorizationServerApplication {

    /** Token ids ({@code jti}) the API refuses from now on. */
    static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();

    /**
     * The public keys of the private_key_jwt clients, as a JWK set: registered clients name
     * {@value #CLIENT_JWKS_PATH} as their jwk-set-uri, the way a client publishes its keys.
     */
    static volatile String clientJwks = "{\"keys\":[]}";

    static final String CLIENT_JWKS_PATH = "/test/client-jwks";

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

    /**
     * Spring Authorization Server exchanges only subject tokens that carry a principal (a user's, in its
     * model); here a client_credentials token carries its client as the principal, so that a service's own
     * token can be the subject of a token exchange.
     */
    @Bean
    OAuth2AuthorizationService authorizationService() {
        OAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
        return new OAuth2AuthorizationService() {

            @Override
            public void save(OAuth2Authorization authorization) {
                if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
                        && authorization.getAttribute(Principal.class.getName()) == null) {
                    authorization = OAuth2Authorization.from(authorization)
                        .attribute(Principal.class.getName(), new UsernamePasswordAuthenticationToken(
                                authorization.getPrincipalName(), null, List.of()))
                        .build();
                }
                store.save(authorization);
            }

            @Override
            public void remove(OAuth2Authorization authorization) {
                store.remove(authorization);
            }

            @Override
            public OAuth2Authorization findById(String id) {
                return store.findById(id);
            }

            @Override
            public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                return store.findByToken(token, tokenType);
            }
        };
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
    static class ClientKeys {

        @GetMapping(path = CLIENT_JWKS_PATH, produces = "application/json")
        String jwks() {
            return clientJwks;
        }
    }

    /** What the API's {@code whoami} endpoints saw: the subject and token id of each call, "sub jti". */
    static final java.util.Queue<String> CALLERS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @RestController
    static class OrdersApi {

        /** The subject of the token the call carried, recorded with the token's id. */
        @GetMapping({ "/api/whoami", "/api/bounded/whoami" })
        String whoami(@org.springframework.security.core.annotation.AuthenticationPrincipal Jwt jwt) {
            CALLERS.add(jwt.getSubject() + " " + jwt.getId());
            return jwt.getSubject();
        }

        @GetMapping("/api/orders")
        List<Map<String, Object>> orders() {
            return List.of(Map.of("id", 1, "item", "coffee"));
        }
    }

    /** A client-credentials token from the server on {@code port}, for a registered client (scope orders.read). */
    static String clientCredentialsToken(int port, String clientId, String secret) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("scope", "orders.read");
        String response = RestClient.create().post()
            .uri("http://localhost:" + port + "/oauth2/token")
            .headers((headers) -> headers.setBasicAuth(clientId, secret))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(form)
            .retrieve()
            .body(String.class);
        return JsonMapper.shared().readTree(response).path("access_token").asString();
    }
}
