package dev.tokenstarter.benchmarks.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * Spring Security's OAuth2 client set up the way a Spring user would for client_credentials: servlet and
 * reactive authorized-client managers over in-memory services, optionally with a cached token.
 */
public final class SpringSecurityClients {

    /** The registration id used throughout. */
    public static final String REGISTRATION = "api";

    private static final Authentication PRINCIPAL = UsernamePasswordAuthenticationToken.authenticated("svc", null,
            List.of());

    private final ClientRegistration registration;

    private final InMemoryOAuth2AuthorizedClientService servletService;

    private final InMemoryReactiveOAuth2AuthorizedClientService reactiveService;

    private final AuthorizedClientServiceOAuth2AuthorizedClientManager servletManager;

    private final AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager reactiveManager;

    private final OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
        .principal(PRINCIPAL)
        .build();

    /** @param tokenUri where the managers request tokens when none is cached */
    public SpringSecurityClients(String tokenUri) {
        this.registration = ClientRegistration.withRegistrationId(REGISTRATION)
            .clientId("bench-client")
            .clientSecret("bench-secret")
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenUri(tokenUri)
            .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        this.servletService = new InMemoryOAuth2AuthorizedClientService(registrations);
        this.servletManager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, servletService);
        this.servletManager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
        InMemoryReactiveClientRegistrationRepository reactiveRegistrations = new InMemoryReactiveClientRegistrationRepository(
                registration);
        this.reactiveService = new InMemoryReactiveOAuth2AuthorizedClientService(reactiveRegistrations);
        this.reactiveManager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(reactiveRegistrations,
                reactiveService);
        this.reactiveManager.setAuthorizedClientProvider(
                ReactiveOAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
    }

    /**
     * Clients that never reach a token endpoint: a one-hour token (the same value the starter's fixture
     * holds) is already cached, as after a first fetch.
     */
    public static SpringSecurityClients withCachedToken() {
        SpringSecurityClients clients = new SpringSecurityClients("http://localhost:1/unused");
        clients.cacheToken(StarterClients.TOKEN_VALUE, Instant.now(), Duration.ofHours(1));
        return clients;
    }

    /** Stores a token valid from {@code issuedAt} for {@code lifetime} in both services, as a previous fetch would. */
    public void cacheToken(String value, Instant issuedAt, Duration lifetime) {
        OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, issuedAt,
                issuedAt.plus(lifetime));
        OAuth2AuthorizedClient client = new OAuth2AuthorizedClient(registration, PRINCIPAL.getName(), token);
        servletService.saveAuthorizedClient(client, PRINCIPAL);
        reactiveService.saveAuthorizedClient(client, PRINCIPAL).block();
    }

    public AuthorizedClientServiceOAuth2AuthorizedClientManager servletManager() {
        return servletManager;
    }

    public AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager reactiveManager() {
        return reactiveManager;
    }

    /** The prebuilt authorize request (client "api", principal "svc"). */
    public OAuth2AuthorizeRequest request() {
        return request;
    }

    /** Spring Security's RestClient interceptor for the same client and principal. */
    public OAuth2ClientHttpRequestInterceptor interceptor() {
        OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(servletManager);
        interceptor.setClientRegistrationIdResolver((request) -> REGISTRATION);
        interceptor.setPrincipalResolver((request) -> PRINCIPAL);
        return interceptor;
    }

    /** Spring Security's WebClient filter for the same client and principal. */
    public ServerOAuth2AuthorizedClientExchangeFilterFunction exchangeFilter() {
        ServerOAuth2AuthorizedClientExchangeFilterFunction filter = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
                reactiveManager);
        filter.setDefaultClientRegistrationId(REGISTRATION);
        filter.setPrincipalResolver((request) -> Mono.just(PRINCIPAL));
        return filter;
    }
}
