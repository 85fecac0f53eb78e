package dev.tokenstarter.token.autoconfigure;


import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.internal.shared.SharedTokens;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;

/**
 * Registers the beans of every configured client: {@code <name>TokenProvider}, {@code <name>TokenRefresher},
 * {@code <name>SharedTokens} (with {@code shared.enabled}),
 * {@code <name>TokenAuthorizer}, {@code <name>TokenFilter}, {@code <name>TokenInterceptor},
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

    @SuppressWarnings("NullAway.Init") // set before registerBeanDefinitions, as an EnvironmentAware
    private Environment environment;

    @SuppressWarnings("NullAway.Init") // set before registerBeanDefinitions, as a BeanClassLoaderAware
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
        UnsupportedSpringBootException.check(classLoader);
        boolean webClient = ClassUtils.isPresent(TokenClientBeans.WEB_CLIENT_MODULE, classLoader);
        boolean restClient = ClassUtils.isPresent(TokenClientBeans.REST_CLIENT_MODULE, classLoader);
        boolean springDataRedis = ClassUtils.isPresent(SharedTokensWiring.SPRING_DATA_REDIS, classLoader);
        boolean lettuce = ClassUtils.isPresent(SharedTokensWiring.LETTUCE, classLoader);
        TokenClientsBinding.Registration registration = TokenClientsBinding.kept(registry, environment);
        if (registration == null) { // imported without the condition
            registration = TokenClientsBinding.registration(environment, TokenClientsBinding.bind(environment));
        }
        TokenClientsBinding.checkNames(registration);
        for (TokenClientsBinding.Registration.Planned client : registration.clients()) {
            if (client.shared() && !client.onBehalfOf()) { // with on-behalf-of, validation names the mistake
                SharedTokensWiring.requireRedisClient(client.prefix(), springDataRedis, lettuce);
            }
            new ClientBeans(registry, client).register(webClient, restClient);
        }
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

    /**
     * Registers one client's beans. Each is a call of a {@link TokenClientBeans} method with the client name and
     * references to the client's other beans it needs, by the names {@link ClientBeanNames} gives them: the
     * container wires them, so a bean the application defines under such a name is the one used.
     */
    private static final class ClientBeans {

        private final BeanDefinitionRegistry registry;

        private final String name;

        private final ClientBeanNames names;

        private final TokenClientsBinding.Registration.Planned client;

        private final boolean primary;

        ClientBeans(BeanDefinitionRegistry registry, TokenClientsBinding.Registration.Planned client) {
            this.registry = registry;
            this.name = client.name();
            this.names = new ClientBeanNames(name);
            this.client = client;
            this.primary = PRIMARY_CLIENT.equals(name);
        }

        void register(boolean webClient, boolean restClient) {
            if (client.onBehalfOf()) {
                // per incoming token: nothing fetched at startup, no scheduled refresh, never shared
                register(names.tokenProvider(), TokenProvider.class, "onBehalfOfProvider");
            }
            else if (!registry.containsBeanDefinition(names.tokenProvider())) {
                if (client.shared()) {
                    register(names.sharedTokens(), SharedTokens.class, "sharedTokens");
                    register(names.tokenProvider(), CachingTokenProvider.class, "tokenProvider", names.sharedTokens());
                }
                else {
                    register(names.tokenProvider(), CachingTokenProvider.class, "tokenProvider");
                }
                register(names.tokenRefresher(), ScheduledTokenRefresher.class, "tokenRefresher", names.tokenProvider());
            }
            if (!client.scoped()) {
                // a provider only: without base-url or allowed-hosts no request may receive the token
                logger.info("Token client '" + name + "' has no base-url (nor allowed-hosts): it gets a TokenProvider "
                        + "bean ('" + names.tokenProvider() + "') only, no WebClient or RestClient. Set its "
                        + "base-url for those.");
                return;
            }
            register(names.tokenAuthorizer(), TokenAuthorizer.class, "tokenAuthorizer", names.tokenProvider());
            register(names.tokenInterceptor(), TokenRestClientInterceptor.class, "tokenInterceptor",
                    names.tokenAuthorizer());
            if (webClient) {
                register(names.tokenFilter(), TokenWebClientFilter.class, "tokenFilter", names.tokenAuthorizer());
                register(names.webClient(), WebClient.class, "webClient", names.tokenFilter());
            }
            if (restClient) {
                register(names.restClient(), RestClient.class, "restClient", names.tokenInterceptor());
            }
        }

        private void register(String beanName, Class<?> type, String factoryMethod, String... references) {
            if (registry.containsBeanDefinition(beanName)) {
                return;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(type);
            definition.setFactoryBeanName(TokenClientBeans.BEAN_NAME);
            definition.setFactoryMethodName(factoryMethod);
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            for (int i = 0; i < references.length; i++) {
                definition.getConstructorArgumentValues().addIndexedArgumentValue(i + 1,
                        new RuntimeBeanReference(references[i]));
            }
            definition.setPrimary(primary);
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
