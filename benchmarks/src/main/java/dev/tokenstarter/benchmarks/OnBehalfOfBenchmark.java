package dev.tokenstarter.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.JwtBearerOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.TokenExchangeOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.AuthenticatedPrincipalOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

/**
 * Issue 25: the token for a call made on behalf of the user whose request is being served, with that user's
 * exchanged token already cached, against Spring Security's token-exchange {@code OAuth2AuthorizedClientManager}
 * (an authorized-client service in memory, the token-exchange provider) for the same principal. 50 users, each
 * with a 1 KB JWT-sized token; every operation gets a new {@code Authentication} of a random user, as a
 * resource server makes one per request: the starter derives its cache key from the incoming token in every
 * operation (a hash of the token's last 16 characters, then a full comparison in the look-up), Spring looks the
 * client up by principal name. The starter reads the user from the thread's {@code SecurityContext}, which each
 * operation sets first. The two baselines are what every operation pays before either library runs: a new
 * {@code Authentication} of a random user, and (the starter's) putting it in the thread's context.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch" })
public class OnBehalfOfBenchmark {

    private static final int USERS = 50;

    private static final String REGISTRATION = "downstream";

    private final OAuth2AccessToken[] incoming = new OAuth2AccessToken[USERS];

    private SubjectTokens starter;

    private AuthorizedClientServiceOAuth2AuthorizedClientManager spring;

    private DefaultOAuth2AuthorizedClientManager springInRequest;

    @Setup
    public void setUp() {
        Instant now = Instant.now();
        for (int i = 0; i < USERS; i++) {
            incoming[i] = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, jwtOfAbout1Kb(i), now,
                    now.plus(Duration.ofHours(1)));
        }
        Clock clock = Clock.systemUTC();
        starter = new SubjectTokens(REGISTRATION, 1000, Duration.ofSeconds(5), clock,
                (subject) -> (previous) -> Mono.just(AccessToken.of("exchanged-" + subject.hashCode(), "Bearer",
                        Instant.now(), Instant.now().plus(Duration.ofMinutes(50)))),
                (subject, source) -> new CachingTokenProvider(source, RefreshTiming.DEFAULTS,
                        new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), clock, "bench"));
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
            .clientId("orders-gateway")
            .clientSecret("gateway-secret")
            .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
            .tokenUri("http://localhost:1/unused")
            .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        InMemoryOAuth2AuthorizedClientService service = new InMemoryOAuth2AuthorizedClientService(registrations);
        spring = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, service);
        spring.setAuthorizedClientProvider(new TokenExchangeOAuth2AuthorizedClientProvider());
        // what Spring Security registers in a servlet application (OAuth2ClientConfiguration) and its
        // OAuth2ClientHttpRequestInterceptor uses while a request is served: the request-bound manager over the
        // authenticated principal's repository, with the providers it adds by default
        springInRequest = new DefaultOAuth2AuthorizedClientManager(registrations,
                new AuthenticatedPrincipalOAuth2AuthorizedClientRepository(service));
        springInRequest.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
            .authorizationCode()
            .refreshToken()
            .clientCredentials()
            .provider(new JwtBearerOAuth2AuthorizedClientProvider())
            .provider(new TokenExchangeOAuth2AuthorizedClientProvider())
            .build());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest("GET",
                "/orders"), new MockHttpServletResponse()));
        for (int i = 0; i < USERS; i++) {
            Authentication user = new BearerAuthentication(incoming[i], "user-" + i);
            OAuth2AccessToken exchanged = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "exchanged-" + i, now,
                    now.plus(Duration.ofMinutes(50)));
            service.saveAuthorizedClient(new OAuth2AuthorizedClient(registration, user.getName(), exchanged), user);
            // the starter's first call for each user exchanges (here: the stub source) and caches
            SecurityContextHolder.getContext().setAuthentication(user);
            starter.getToken();
        }
        SecurityContextHolder.clearContext();
    }

    private Authentication nextRequestsUser() {
        int user = ThreadLocalRandom.current().nextInt(USERS);
        return new BearerAuthentication(incoming[user], "user-" + user);
    }

    @Benchmark
    public Authentication baselineNewAuthentication() {
        return nextRequestsUser();
    }

    @Benchmark
    public Authentication baselineNewAuthenticationInContext() {
        SecurityContextHolder.getContext().setAuthentication(nextRequestsUser());
        return SecurityContextHolder.getContext().getAuthentication();
    }

    @Benchmark
    public AccessToken starterOnBehalfOfCached() {
        SecurityContextHolder.getContext().setAuthentication(nextRequestsUser());
        return starter.getToken();
    }

    @Benchmark
    public OAuth2AuthorizedClient springTokenExchangeManagerCached() {
        return spring.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
            .principal(nextRequestsUser())
            .build());
    }

    /**
     * Spring Security's manager as it serves a request in a servlet application (the request's attributes held
     * by {@code RequestContextHolder}, set once in the set-up, as the {@code DispatcherServlet} sets them).
     */
    @Benchmark
    public OAuth2AuthorizedClient springTokenExchangeManagerInRequestCached() {
        return springInRequest.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
            .principal(nextRequestsUser())
            .build());
    }

    /** A header, claims and an RS256-sized signature: 1 KB, as a real access token of a user. */
    private static String jwtOfAbout1Kb(int user) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"key-1\"}".getBytes());
        byte[] signature = new byte[256];
        ThreadLocalRandom.current().nextBytes(signature);
        String claims = "{\"iss\":\"https://login.example.com\",\"sub\":\"user-" + user
                + "\",\"aud\":\"orders-gateway\",\"scope\":\"orders.read orders.write profile email\","
                + "\"roles\":[\"customer\",\"beta\"],\"tenant\":\"shop-eu-1\",\"iat\":1764720000,\"exp\":1764723600,"
                + "\"jti\":\"" + java.util.UUID.randomUUID() + "\",\"client_id\":\"web-frontend\",\"ext\":\"";
        int length = header.length() + 2 + base64.encodeToString(signature).length();
        StringBuilder padded = new StringBuilder(claims);
        while (length + base64.encodeToString((padded + "\"}").getBytes()).length() < 1024) {
            padded.append('x');
        }
        return header + "." + base64.encodeToString((padded + "\"}").getBytes()) + "." + base64.encodeToString(signature);
    }

    /**
     * A bearer-token authentication as a resource server makes one per request: the token is its principal (as
     * Spring's token-exchange provider reads it) and its credentials (as the starter reads it), and its name is
     * the user's, as {@code JwtAuthenticationToken}'s is the {@code sub} claim.
     */
    static final class BearerAuthentication extends AbstractAuthenticationToken {

        private final OAuth2AccessToken token;

        private final String name;

        BearerAuthentication(OAuth2AccessToken token, String name) {
            super(List.of());
            this.token = token;
            this.name = name;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return token;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
