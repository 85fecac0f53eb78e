package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserverFactory;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.internal.web.ClientSelection;
import dev.tokenstarter.token.internal.web.HttpClientRedirects;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.TokenHttpClients;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;
import dev.tokenstarter.token.web.TokenWebClientFilter;

/**
 * Makes the beans of each client. {@link TokenClientsRegistrar} registers every client's beans as calls of these
 * factory methods with the client name and the client's other beans they need (references the container
 * resolves by name, see {@link ClientBeanNames}) as their arguments: plain bean definitions that Spring AOT
 * turns into code, unlike instance suppliers. The clients are built from the {@link TokenClientsProperties}
 * bean, the one binding of {@code api.auth} they need, validated once when first needed; so at run time (also
 * in AOT mode) they are the run time's.
 */
final class TokenClientBeans implements SmartInitializingSingleton {

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

    private volatile @Nullable Map<String, TokenClientsRegistrar.Client> clients;

    /** Each DPoP client's proofs, made with its first bean that needs them. */
    private final Map<String, DPoPProofs> dpopProofs = new ConcurrentHashMap<>();

    TokenClientBeans(Environment environment, ListableBeanFactory beanFactory) {
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    /**
     * Validates the configuration at startup even when every client bean is lazy (or replaced by the
     * application's), so that a mistake stops startup rather than the first call.
     */
    @Override
    public void afterSingletonsInstantiated() {
        clients();
    }

    /** The configured clients, from the properties bean, validated once. */
    Map<String, TokenClientsRegistrar.Client> clients() {
        Map<String, TokenClientsRegistrar.Client> bound = clients;
        if (bound == null) {
            // at run time too: in an AOT-processed application the registrar and the condition ran at build time
            UnboundTokenClientKeys.check(environment);
            bound = TokenClientsBinding.validated(beanFactory.getBean(TokenClientsProperties.class));
            clients = bound;
        }
        return bound;
    }

    /**
     * The client whose token an HTTP service group gets: the one it names in {@code http-service-groups},
     * else the one named like the group, else none.
     */
    @Nullable String clientForGroup(String group) {
        for (Map.Entry<String, TokenClientsRegistrar.Client> client : clients().entrySet()) {
            if (client.getValue().properties().getHttpServiceGroups().contains(group)) {
                return client.getKey();
            }
        }
        return clients().containsKey(group) ? group : null;
    }

    /** The base URL of a client, or {@code null}. */
    @Nullable URI baseUrl(String client) {
        return client(client).properties().getBaseUrl();
    }

    /** The {@value #CLOCK_BEAN} bean if there is one, else the system clock; other Clock beans are not used. */
    Clock clock() {
        return beanFactory.containsBean(CLOCK_BEAN) ? beanFactory.getBean(CLOCK_BEAN, Clock.class) : Clock.systemUTC();
    }

    /**
     * The registry of the clients. Every configured client must have its provider bean: in AOT mode the bean
     * definitions are those of build time, so a client added to the configuration later has none. The providers
     * are looked up when first asked for, so that an application's bean may depend on {@link TokenClients}.
     */
    TokenClients tokenClients() {
        for (String name : clients().keySet()) {
            String bean = new ClientBeanNames(name).tokenProvider();
            if (!beanFactory.containsBean(bean)) {
                throw new IllegalStateException("Token client '" + name + "' is configured but has no bean " + bean
                        + ". In an AOT-processed application (native image, or spring.aot.enabled=true) the clients are "
                        + "fixed at build time: run the AOT processing again with this configuration.");
            }
        }
        Map<String, TokenProvider> found = new ConcurrentHashMap<>();
        return new TokenClients(clients().keySet(), (name) -> found.computeIfAbsent(name, (client) -> {
            TokenProvider provider = beanFactory.getBeansOfType(TokenProvider.class)
                .get(new ClientBeanNames(client).tokenProvider());
            return Objects.requireNonNull(provider, () -> "no TokenProvider bean of client '" + client + "'");
        }), clock());
    }

    CachingTokenProvider tokenProvider(String client) {
        return tokenProvider(client, null);
    }

    /** With {@code shared.enabled}: typed loosely so that Spring Data loads only then. */
    CachingTokenProvider tokenProvider(String client, @Nullable Object sharedTokens) {
        TokenClientsRegistrar.Client found = client(client);
        TokenFetchObserver observer = beanFactory.getBeanProvider(TokenFetchObserverFactory.class)
            .getIfAvailable(() -> TokenFetchObserverFactory.NONE)
            .forClient(client);
        TokenEndpointTransport transport = TokenEndpointTransportFactory.create(beanFactory, found);
        Clock clock = clock();
        TokenClientAssembler.ResolvedCredentials resolved = new TokenClientAssembler.ResolvedCredentials(
                ClientAssertionFactory.create(beanFactory, found, clock),
                GrantCredentialsFactory.tokenExchange(beanFactory, found),
                GrantCredentialsFactory.jwtBearerAssertion(beanFactory, found));
        if (sharedTokens != null) {
            return SharedTokensWiring.tokenProvider(client, found.properties(), clock, observer, transport, resolved,
                    sharedTokens);
        }
        return TokenClientAssembler.tokenProvider(client, found.properties(), clock, observer, transport, resolved,
                UnaryOperator.identity(), dpop(client));
    }

    /** The provider of an on-behalf-of client: the incoming token's, exchanged per subject or relayed. */
    TokenProvider onBehalfOfProvider(String client) {
        TokenClientsRegistrar.Client found = client(client);
        TokenFetchObserver observer = beanFactory.getBeanProvider(TokenFetchObserverFactory.class)
            .getIfAvailable(() -> TokenFetchObserverFactory.NONE)
            .forClient(client);
        return OnBehalfOfWiring.tokenProvider(found, beanFactory, clock(), observer,
                TokenEndpointTransportFactory.create(beanFactory, found), dpop(client));
    }

    /** The client's shared token in Redis ({@code shared.enabled}); typed loosely so Spring Data loads only then. */
    Object sharedTokens(String client) {
        TokenClientsRegistrar.Client found = client(client);
        return SharedTokensWiring.sharedTokens(client, found.prefix(), found.properties(), beanFactory, environment,
                clock());
    }

    ScheduledTokenRefresher tokenRefresher(String client, CachingTokenProvider provider) {
        return TokenClientAssembler.refresher(client, provider, client(client).properties());
    }

    TokenAuthorizer tokenAuthorizer(String client, TokenProvider provider) {
        boolean httpClients = ClassUtils.isPresent(WEB_CLIENT_MODULE, getClass().getClassLoader())
                || ClassUtils.isPresent(REST_CLIENT_MODULE, getClass().getClassLoader());
        return TokenClientAssembler.authorizer(provider, client(client).properties(), baseUrlsOtherThan(client),
                httpClients && HttpClientRedirects.followed(beanFactory), dpop(client),
                new ClientSelection(client, clients().keySet()));
    }

    /** One key per client, shared by its token requests and its API calls: the token is bound to it. */
    private @Nullable DPoPProofs dpop(String client) {
        TokenClientProperties properties = client(client).properties();
        if (!properties.getDpop().isEnabled()) {
            return null;
        }
        return dpopProofs.computeIfAbsent(client, (name) -> TokenClientAssembler.dpop(properties, clock()));
    }

    TokenRestClientInterceptor tokenInterceptor(String client, TokenAuthorizer authorizer) {
        return new TokenRestClientInterceptor(authorizer);
    }

    TokenWebClientFilter tokenFilter(String client, TokenAuthorizer authorizer) {
        return new TokenWebClientFilter(authorizer);
    }

    WebClient webClient(String client, TokenWebClientFilter filter) {
        return TokenHttpClients.Web.create(beanFactory, apiSettings(client), baseUrl(client), filter);
    }

    RestClient restClient(String client, TokenRestClientInterceptor interceptor) {
        return TokenHttpClients.Rest.create(beanFactory, apiSettings(client), baseUrl(client), interceptor);
    }

    /** The application's HTTP client settings, with the client's {@code api-ssl-bundle} if it has one. */
    private HttpClientSettings apiSettings(String client) {
        HttpClientSettings settings = HttpClientRedirects.settings(beanFactory);
        SslBundle bundle = apiSslBundle(client);
        return (bundle != null) ? settings.withSslBundle(bundle) : settings;
    }

    /** The client's {@code api-ssl-bundle} for its API calls, or {@code null} for the application's HTTP client settings. */
    private @Nullable SslBundle apiSslBundle(String client) {
        TokenClientsRegistrar.Client found = client(client);
        String bundle = found.properties().getApiSslBundle();
        if (!StringUtils.hasText(bundle)) {
            return null;
        }
        return TokenEndpointTransportFactory.sslBundle(beanFactory, found.prefix() + ".api-ssl-bundle", bundle.trim());
    }

    private TokenClientsRegistrar.Client client(String client) {
        TokenClientsRegistrar.Client found = clients().get(client);
        if (found == null) {
            throw new IllegalStateException("Token client '" + client + "' has beans but is no longer configured "
                    + "under api.auth; configured: " + clients().keySet());
        }
        return found;
    }

    private List<URI> baseUrlsOtherThan(String name) {
        List<URI> others = new ArrayList<>();
        clients().forEach((other, client) -> {
            URI baseUrl = client.properties().getBaseUrl();
            if (!other.equals(name) && baseUrl != null) {
                others.add(baseUrl);
            }
        });
        return others;
    }

    @Override
    public String toString() {
        Map<String, TokenClientsRegistrar.Client> bound = clients;
        return "TokenClientBeans" + ((bound != null) ? bound.keySet() : "[not bound yet]");
    }
}
