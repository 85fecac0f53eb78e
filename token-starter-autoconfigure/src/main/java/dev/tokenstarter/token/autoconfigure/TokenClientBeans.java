package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.StringUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.dpop.DPoPProofs;
import dev.tokenstarter.token.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.endpoint.TokenFetchObserverFactory;
import dev.tokenstarter.token.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.web.TokenAuthorizer;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Makes the beans of each client, by client name. {@link TokenClientsRegistrar} registers every client's
 * beans as calls of these factory methods with the client name as their argument: plain bean definitions
 * that Spring AOT turns into code, unlike instance suppliers. The client properties are bound from the
 * environment when first needed, so at run time (also in AOT mode) they are the run time's.
 */
final class TokenClientBeans {

    /** The name of this bean, which the client beans name as their factory. */
    static final String BEAN_NAME = "tokenClientBeans";

    /** The name of an optional {@link Clock} bean for every expiry decision (tests move one by hand). */
    static final String CLOCK_BEAN = "apiAuthClock";

    /** Present when Spring Boot's WebClient support is: then clients get a WebClient. */
    static final String WEB_CLIENT_MODULE = "org.springframework.boot.webclient.WebClientCustomizer";

    /** Present when Spring Boot's RestClient support is: then clients get a RestClient. */
    static final String REST_CLIENT_MODULE = "org.springframework.boot.restclient.RestClientCustomizer";

    private final Environment environment;

    private final ListableBeanFactory beanFactory;

    private volatile Map<String, TokenClientsRegistrar.Client> clients;

    /** Each DPoP client's proofs, made with its first bean that needs them. */
    private final Map<String, DPoPProofs> dpopProofs = new ConcurrentHashMap<>();

    TokenClientBeans(Environment environment, ListableBeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    /** The configured clients, bound and validated once. */
    Map<String, TokenClientsRegistrar.Client> clients() {
        Map<String, TokenClientsRegistrar.Client> bound = clients;
        if (bound == null) {
            // at run time too: in an AOT-processed application the registrar and the condition ran at build time
            UnboundTokenClientKeys.check(environment);
            bound = TokenClientsRegistrar.clients(environment);
            clients = bound;
        }
        return bound;
    }

    /**
     * The client whose token an HTTP service group gets: the one it names in {@code http-service-groups},
     * else the one named like the group, else none.
     */
    String clientForGroup(String group) {
        for (Map.Entry<String, TokenClientsRegistrar.Client> client : clients().entrySet()) {
            if (client.getValue().properties().getHttpServiceGroups().contains(group)) {
                return client.getKey();
            }
        }
        return clients().containsKey(group) ? group : null;
    }

    /** The base URL of a client, or {@code null}. */
    @Nullable URI baseUrl(String client) {
        return properties(client).getBaseUrl();
    }

    /** The {@value #CLOCK_BEAN} bean if there is one, else the system clock; other Clock beans are not used. */
    Clock clock() {
        return beanFactory.containsBean(CLOCK_BEAN) ? beanFactory.getBean(CLOCK_BEAN, Clock.class) : Clock.systemUTC();
    }

    /** Client {@code client}'s bean of that suffix (see {@link TokenClientsRegistrar#beanName}). */
    private <T> T bean(String client, String suffix, Class<T> type) {
        return beanFactory.getBean(TokenClientsRegistrar.beanName(client, suffix), type);
    }

    /**
     * The registry of the clients. Every configured client must have its provider bean: in AOT mode the bean
     * definitions are those of build time, so a client added to the configuration later has none.
     */
    TokenClients tokenClients() {
        for (String name : clients().keySet()) {
            if (!beanFactory.containsBean(TokenClientsRegistrar.beanName(name, "TokenProvider"))) {
                throw new IllegalStateException("Token client '" + name + "' is configured but has no bean "
                        + TokenClientsRegistrar.beanName(name, "TokenProvider") + ". In an AOT-processed application (native image, or "
                        + "spring.aot.enabled=true) the clients are fixed at build time: run the AOT processing again "
                        + "with this configuration.");
            }
        }
        return new TokenClients(clients().keySet(), (name) -> bean(name, "TokenProvider", TokenProvider.class), clock());
    }

    CachingTokenProvider tokenProvider(String client) {
        TokenFetchObserver observer = beanFactory.getBeanProvider(TokenFetchObserverFactory.class)
            .getIfAvailable(() -> TokenFetchObserverFactory.NONE)
            .forClient(client);
        TokenEndpointTransport transport = TokenEndpointTransportFactory.create(beanFactory, clients().get(client));
        Clock clock = clock();
        TokenClientAssembler.ResolvedCredentials resolved = new TokenClientAssembler.ResolvedCredentials(
                ClientAssertionFactory.create(beanFactory, clients().get(client), clock),
                GrantCredentialsFactory.tokenExchange(beanFactory, clients().get(client)),
                GrantCredentialsFactory.jwtBearerAssertion(beanFactory, clients().get(client)));
        if (properties(client).getShared().isEnabled()) {
            return SharedTokensWiring.tokenProvider(client, properties(client), clock, observer, transport, resolved,
                    bean(client, "SharedTokens", Object.class));
        }
        return TokenClientAssembler.tokenProvider(client, properties(client), clock, observer, transport, resolved,
                UnaryOperator.identity(), dpop(client));
    }

    /** The client's shared token in Redis ({@code shared.enabled}); typed loosely so Spring Data loads only then. */
    Object sharedTokens(String client) {
        return SharedTokensWiring.sharedTokens(client, clients().get(client).prefix(), properties(client), beanFactory,
                environment, clock());
    }

    ScheduledTokenRefresher tokenRefresher(String client) {
        return TokenClientAssembler.refresher(client,
                bean(client, "TokenProvider", CachingTokenProvider.class), properties(client));
    }

    TokenAuthorizer tokenAuthorizer(String client) {
        boolean httpClients = ClassUtils.isPresent(WEB_CLIENT_MODULE, getClass().getClassLoader())
                || ClassUtils.isPresent(REST_CLIENT_MODULE, getClass().getClassLoader());
        return TokenClientAssembler.authorizer(bean(client, "TokenProvider", TokenProvider.class),
                properties(client), baseUrlsOtherThan(client),
                httpClients && HttpClientRedirectSettings.followRedirects(beanFactory), dpop(client));
    }

    /** One key per client, shared by its token requests and its API calls: the token is bound to it. */
    private @Nullable DPoPProofs dpop(String client) {
        if (!properties(client).getDpop().isEnabled()) {
            return null;
        }
        return dpopProofs.computeIfAbsent(client, (name) -> TokenClientAssembler.dpop(properties(name), clock()));
    }

    TokenRestClientInterceptor tokenInterceptor(String client) {
        return new TokenRestClientInterceptor(authorizer(client));
    }

    TokenWebClientFilter tokenExchangeFilter(String client) {
        return new TokenWebClientFilter(authorizer(client));
    }

    WebClient webClient(String client) {
        return ApiWebClientFactory.create(beanFactory, properties(client).getBaseUrl(), apiSslBundle(client),
                bean(client, "TokenExchangeFilter", TokenWebClientFilter.class));
    }

    RestClient restClient(String client) {
        return ApiRestClientFactory.create(beanFactory, properties(client).getBaseUrl(), apiSslBundle(client),
                bean(client, "TokenInterceptor", TokenRestClientInterceptor.class));
    }

    /** The client's {@code api-ssl-bundle} for its API calls, or {@code null} for the application's HTTP client settings. */
    private @Nullable SslBundle apiSslBundle(String client) {
        String bundle = properties(client).getApiSslBundle();
        if (!StringUtils.hasText(bundle)) {
            return null;
        }
        return TokenEndpointTransportFactory.sslBundle(beanFactory, clients().get(client).prefix() + ".api-ssl-bundle",
                bundle.trim());
    }

    private TokenAuthorizer authorizer(String client) {
        return bean(client, "TokenAuthorizer", TokenAuthorizer.class);
    }

    private TokenClientProperties properties(String client) {
        TokenClientsRegistrar.Client found = clients().get(client);
        if (found == null) {
            throw new IllegalStateException("Token client '" + client + "' has beans but is no longer configured "
                    + "under api.auth; configured: " + clients().keySet());
        }
        return found.properties();
    }

    private List<URI> baseUrlsOtherThan(String name) {
        List<URI> others = new ArrayList<>();
        clients().forEach((other, client) -> {
            if (!other.equals(name) && client.properties().getBaseUrl() != null) {
                others.add(client.properties().getBaseUrl());
            }
        });
        return others;
    }

    @Override
    public String toString() {
        return "TokenClientBeans" + ((clients != null) ? clients.keySet() : "[not bound yet]");
    }
}
