package dev.tokenstarter.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.shared.SharedTokens;
import dev.tokenstarter.token.web.TokenAuthorizer;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Registers the beans of every configured client: {@code <name>TokenProvider}, {@code <name>TokenRefresher},
 * {@code <name>SharedTokens} (with {@code shared.enabled}),
 * {@code <name>TokenAuthorizer}, {@code <name>TokenExchangeFilter}, {@code <name>TokenInterceptor},
 * {@code <name>WebClient} and {@code <name>RestClient}, where the client configured directly under
 * {@code api.auth} is named {@value #PRIMARY_CLIENT} and its beans are primary. A bean the application
 * already defines under the same name is left in place: that is how any of them is replaced.
 * <p>
 * Each is a plain bean definition: a call of a {@link TokenClientBeans} method with the client name as its
 * argument. Spring AOT turns those into code, so the beans exist in AOT mode and native images too; there
 * the set of clients is the one configured when the application was processed.
 */
class TokenClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

    private static final Log logger = LogFactory.getLog(TokenClientsRegistrar.class);

    /** A client name: kebab case ({@code order-history}) or lower camel case ({@code orderHistory}). */
    static final String CLIENT_NAME = "[a-z][a-zA-Z0-9]*(-[a-z0-9][a-zA-Z0-9]*)*";

    /** The name of the client configured directly under {@code api.auth}. */
    static final String PRIMARY_CLIENT = "api";

    private Environment environment;

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
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        boolean webClient = ClassUtils.isPresent(TokenClientBeans.WEB_CLIENT_MODULE, classLoader);
        boolean restClient = ClassUtils.isPresent(TokenClientBeans.REST_CLIENT_MODULE, classLoader);
        boolean springDataRedis = ClassUtils.isPresent(SharedTokensWiring.SPRING_DATA_REDIS, classLoader);
        boolean lettuce = ClassUtils.isPresent(SharedTokensWiring.LETTUCE, classLoader);
        UnboundTokenClientKeys.check(environment);
        clients(environment).forEach((name, client) -> {
            if (client.properties().getShared().isEnabled()) {
                SharedTokensWiring.requireRedisClient(client.prefix(), springDataRedis, lettuce);
            }
            new ClientBeans(registry, name, client.properties()).register(webClient, restClient);
        });
    }

    /**
     * The configured clients by name, validated.
     * @throws InvalidTokenClientPropertyException for the first invalid property
     */
    static Map<String, Client> clients(Environment environment) {
        TokenClientsProperties properties = Binder.get(environment)
            .bind(TokenClientsProperties.PREFIX, TokenClientsProperties.class)
            .orElseGet(TokenClientsProperties::new);
        Map<String, Client> clients = new LinkedHashMap<>();
        if (properties.isConfigured()) {
            clients.put(PRIMARY_CLIENT, new Client(PRIMARY_CLIENT, TokenClientsProperties.PREFIX, properties));
        }
        properties.getClients().forEach((name, client) -> {
            String prefix = TokenClientsProperties.PREFIX + ".clients." + name;
            if (!name.matches(CLIENT_NAME) || PRIMARY_CLIENT.equals(beanPrefix(name))) {
                throw new InvalidTokenClientPropertyException(prefix, "client name '" + name + "' is "
                        + (PRIMARY_CLIENT.equals(beanPrefix(name)) ? "reserved for the client configured under api.auth itself"
                                : "neither kebab case nor lower camel case (its bean names start with it)"),
                        "Rename the client, e.g. api.auth.clients.orders or api.auth.clients.order-history.");
            }
            Client same = clients.values().stream()
                .filter((other) -> beanPrefix(other.name()).equals(beanPrefix(name)))
                .findFirst()
                .orElse(null);
            if (same != null) {
                throw new InvalidTokenClientPropertyException(prefix, "client names '" + same.name() + "' and '" + name
                        + "' give the same bean names (" + beanName(name, "WebClient") + ", …)",
                        "Keep one of the two spellings.");
            }
            clients.put(name, new Client(name, prefix, client));
        });
        clients.values().forEach((client) -> TokenClientPropertiesValidator.validate(client.prefix(), client.properties()));
        Map<String, String> groups = new LinkedHashMap<>();
        clients.forEach((name, client) -> client.properties().getHttpServiceGroups().forEach((group) -> {
            String owner = clients.containsKey(group) ? group : groups.get(group);
            if (owner != null && !owner.equals(name)) {
                throw new InvalidTokenClientPropertyException(client.prefix() + ".http-service-groups", "group '" + group
                        + "' already gets the token of client '" + owner + "'", "Give each HTTP service group one client.");
            }
            groups.put(group, name);
        }));
        if (properties.isApplyToAllClients()) {
            clients.values().stream()
                .filter((client) -> !"Authorization".equalsIgnoreCase(client.properties().getHeader().getName()))
                .findFirst()
                .ifPresent((client) -> {
                    throw new InvalidTokenClientPropertyException(TokenClientsProperties.PREFIX + ".apply-to-all-clients",
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

    /**
     * The name of a bean of client {@code client}: the client's name in lower camel case, then {@code suffix}
     * ({@code order-history} and {@code WebClient} give {@code orderHistoryWebClient}). The one place bean
     * names are made from client names.
     */
    static String beanName(String client, String suffix) {
        return TokenClients.beanName(client, suffix);
    }

    private static String beanPrefix(String client) {
        return TokenClients.beanName(client, "");
    }

    /**
     * One configured client.
     *
     * @param name its name as configured: in metrics, health, the Redis key prefix and {@code TokenClients}
     * @param prefix its property prefix
     * @param properties its bound properties
     */
    record Client(String name, String prefix, TokenClientProperties properties) {
    }

    /** Registers one client's beans. */
    private static final class ClientBeans {

        private final BeanDefinitionRegistry registry;

        private final String name;

        private final TokenClientProperties properties;

        private final boolean primary;

        ClientBeans(BeanDefinitionRegistry registry, String name, TokenClientProperties properties) {
            this.registry = registry;
            this.name = name;
            this.properties = properties;
            this.primary = PRIMARY_CLIENT.equals(name);
        }

        void register(boolean webClient, boolean restClient) {
            if (!registry.containsBeanDefinition(beanName(name, "TokenProvider"))) {
                if (properties.getShared().isEnabled()) {
                    register("SharedTokens", SharedTokens.class, "sharedTokens");
                }
                register("TokenProvider", CachingTokenProvider.class, "tokenProvider");
                register("TokenRefresher", ScheduledTokenRefresher.class, "tokenRefresher");
            }
            boolean hasScope = properties.getBaseUrl() != null || !properties.getAllowedHosts().isEmpty();
            if (!hasScope) {
                // a provider only: without base-url or allowed-hosts no request may receive the token
                logger.info("Token client '" + name + "' has no base-url (nor allowed-hosts): it gets a TokenProvider "
                        + "bean ('" + beanName(name, "TokenProvider") + "') only, no WebClient or RestClient. Set its "
                        + "base-url for those.");
                return;
            }
            register("TokenAuthorizer", TokenAuthorizer.class, "tokenAuthorizer");
            register("TokenInterceptor", TokenRestClientInterceptor.class, "tokenInterceptor");
            if (webClient) {
                register("TokenExchangeFilter", TokenWebClientFilter.class, "tokenExchangeFilter");
                register("WebClient", WebClient.class, "webClient");
            }
            if (restClient) {
                register("RestClient", RestClient.class, "restClient");
            }
        }

        private void register(String suffix, Class<?> type, String factoryMethod) {
            String beanName = beanName(name, suffix);
            if (registry.containsBeanDefinition(beanName)) {
                return;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(type);
            definition.setFactoryBeanName(TokenClientBeans.BEAN_NAME);
            definition.setFactoryMethodName(factoryMethod);
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setPrimary(primary);
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
