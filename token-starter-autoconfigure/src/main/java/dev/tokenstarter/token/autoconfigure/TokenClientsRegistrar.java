package dev.tokenstarter.token.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.endpoint.TokenFetchObservers;
import dev.tokenstarter.token.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.web.BearerTokenAuthorizer;
import dev.tokenstarter.token.web.BearerTokenExchangeFilter;
import dev.tokenstarter.token.web.BearerTokenInterceptor;

/**
 * Registers the beans of every configured client: {@code <name>TokenProvider}, {@code <name>TokenRefresher},
 * {@code <name>TokenAuthorizer},
 * {@code <name>TokenExchangeFilter}, {@code <name>TokenInterceptor}, {@code <name>WebClient} and
 * {@code <name>RestClient}, where the client configured directly under {@code api.auth} is named
 * {@value #PRIMARY_CLIENT} and its beans are primary. A bean the application already defines under the
 * same name is left in place: that is how any of them is replaced.
 */
class TokenClientsRegistrar
        implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware, BeanClassLoaderAware {

    /** The name of the client configured directly under {@code api.auth}. */
    static final String PRIMARY_CLIENT = "api";

    private static final String WEB_CLIENT_MODULE = "org.springframework.boot.webclient.WebClientCustomizer";

    private static final String REST_CLIENT_MODULE = "org.springframework.boot.restclient.RestClientCustomizer";

    private Environment environment;

    private BeanFactory beanFactory;

    private ClassLoader classLoader;

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        boolean webClient = ClassUtils.isPresent(WEB_CLIENT_MODULE, classLoader);
        boolean restClient = ClassUtils.isPresent(REST_CLIENT_MODULE, classLoader);
        Map<String, Client> clients = clients(environment);
        clients.forEach((name, client) -> new ClientBeans(registry, name, client.properties(), baseUrlsOtherThan(name, clients))
            .register(webClient, restClient));
    }

    /**
     * The configured clients by name, validated.
     * @throws InvalidTokenClientPropertyException for the first invalid property
     */
    static Map<String, Client> clients(Environment environment) {
        ApiAuthProperties properties = Binder.get(environment)
            .bind(ApiAuthProperties.PREFIX, ApiAuthProperties.class)
            .orElseGet(ApiAuthProperties::new);
        Map<String, Client> clients = new LinkedHashMap<>();
        if (properties.isConfigured()) {
            clients.put(PRIMARY_CLIENT, new Client(ApiAuthProperties.PREFIX, properties));
        }
        properties.getClients().forEach((name, client) -> {
            String prefix = ApiAuthProperties.PREFIX + ".clients." + name;
            if (!name.matches("[a-z][a-zA-Z0-9]*") || PRIMARY_CLIENT.equals(name)) {
                throw new InvalidTokenClientPropertyException(prefix, "client name '" + name + "' is "
                        + (PRIMARY_CLIENT.equals(name) ? "reserved for the client configured under api.auth itself"
                                : "not a lower camel-case word (it becomes part of bean names)"),
                        "Rename the client, e.g. api.auth.clients.orders.");
            }
            clients.put(name, new Client(prefix, client));
        });
        clients.values().forEach((client) -> TokenClientPropertiesValidator.validate(client.prefix(), client.properties()));
        if (properties.isApplyToAllClients()) {
            clients.values().stream()
                .filter((client) -> !"Authorization".equalsIgnoreCase(client.properties().getHeader().getName()))
                .findFirst()
                .ifPresent((client) -> {
                    throw new InvalidTokenClientPropertyException(ApiAuthProperties.PREFIX + ".apply-to-all-clients",
                            "it cannot be combined with " + client.prefix() + ".header.name="
                                    + client.properties().getHeader().getName() + ": the application's own clients follow "
                                    + "redirects inside the HTTP client, which drops only standard credential headers "
                                    + "when the host changes, so that header could follow a redirect to another host",
                            "Inject the preconfigured <name>WebClient / <name>RestClient for that client instead (they "
                                    + "check every redirect hop), or keep the Authorization header.");
                });
        }
        return clients;
    }

    private static List<URI> baseUrlsOtherThan(String name, Map<String, Client> clients) {
        List<URI> others = new ArrayList<>();
        clients.forEach((other, client) -> {
            if (!other.equals(name) && client.properties().getBaseUrl() != null) {
                others.add(client.properties().getBaseUrl());
            }
        });
        return others;
    }

    /** The name of an optional {@link Clock} bean for every expiry decision (tests move one by hand). */
    static final String CLOCK_BEAN = "apiAuthClock";

    /** The {@value #CLOCK_BEAN} bean if there is one, else the system clock; other Clock beans are not used. */
    static Clock clock(BeanFactory beanFactory) {
        return beanFactory.containsBean(CLOCK_BEAN) ? beanFactory.getBean(CLOCK_BEAN, Clock.class) : Clock.systemUTC();
    }

    /** Token provider beans keyed by client name ({@code ordersTokenProvider} becomes {@code orders}). */
    static Map<String, TokenProvider> byClientName(Map<String, TokenProvider> providersByBeanName) {
        Map<String, TokenProvider> byClient = new LinkedHashMap<>();
        providersByBeanName.forEach((beanName, provider) -> byClient.put(beanName.endsWith("TokenProvider")
                ? beanName.substring(0, beanName.length() - "TokenProvider".length()) : beanName, provider));
        return byClient;
    }

    /**
     * One configured client.
     *
     * @param prefix its property prefix
     * @param properties its bound properties
     */
    record Client(String prefix, TokenClientProperties properties) {
    }

    /** Registers one client's beans. */
    private final class ClientBeans {

        private final BeanDefinitionRegistry registry;

        private final String name;

        private final TokenClientProperties properties;

        private final boolean primary;

        private final List<URI> otherBaseUrls;

        ClientBeans(BeanDefinitionRegistry registry, String name, TokenClientProperties properties, List<URI> otherBaseUrls) {
            this.registry = registry;
            this.name = name;
            this.properties = properties;
            this.otherBaseUrls = otherBaseUrls;
            this.primary = PRIMARY_CLIENT.equals(name);
        }

        void register(boolean webClient, boolean restClient) {
            String provider = name + "TokenProvider";
            if (!registry.containsBeanDefinition(provider)) {
                register("TokenProvider", CachingTokenProvider.class, () -> TokenClientPropertiesMapper
                    .tokenProvider(name, properties, clock(), observer()));
                register("TokenRefresher", ScheduledTokenRefresher.class, () -> TokenClientPropertiesMapper
                    .refresher(name, bean(provider, CachingTokenProvider.class), properties));
            }
            boolean hasScope = properties.getBaseUrl() != null || !properties.getAllowedHosts().isEmpty();
            if (!hasScope) {
                return; // a provider only: without base-url or allowed-hosts no request may receive the token
            }
            String authorizer = register("TokenAuthorizer", BearerTokenAuthorizer.class,
                    () -> TokenClientPropertiesMapper.authorizer(bean(provider, TokenProvider.class), properties,
                            otherBaseUrls, (restClient || webClient) && HttpClientRedirectSettings.followRedirects(beanFactory)));
            String interceptor = register("TokenInterceptor", BearerTokenInterceptor.class,
                    () -> new BearerTokenInterceptor(bean(authorizer, BearerTokenAuthorizer.class)));
            if (webClient) {
                String filter = register("TokenExchangeFilter", BearerTokenExchangeFilter.class,
                        () -> new BearerTokenExchangeFilter(bean(authorizer, BearerTokenAuthorizer.class)));
                register("WebClient", org.springframework.web.reactive.function.client.WebClient.class,
                        () -> ApiWebClientFactory.create(beanFactory, properties.getBaseUrl(),
                                bean(filter, BearerTokenExchangeFilter.class)));
            }
            if (restClient) {
                register("RestClient", org.springframework.web.client.RestClient.class,
                        () -> ApiRestClientFactory.create(beanFactory, properties.getBaseUrl(),
                                bean(interceptor, BearerTokenInterceptor.class)));
            }
        }

        private <T> String register(String suffix, Class<T> type, Supplier<T> supplier) {
            String beanName = name + suffix;
            if (!registry.containsBeanDefinition(beanName)) {
                RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
                definition.setPrimary(primary);
                registry.registerBeanDefinition(beanName, definition);
            }
            return beanName;
        }

        private <T> T bean(String beanName, Class<T> type) {
            return beanFactory.getBean(beanName, type);
        }

        private Clock clock() {
            return TokenClientsRegistrar.clock(beanFactory);
        }

        private TokenFetchObserver observer() {
            return beanFactory.getBeanProvider(TokenFetchObservers.class)
                .getIfAvailable(() -> TokenFetchObservers.NONE)
                .forClient(name);
        }
    }
}
