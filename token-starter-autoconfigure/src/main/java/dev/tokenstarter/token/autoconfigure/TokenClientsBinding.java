package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import dev.tokenstarter.token.autoconfigure.TokenClientsRegistrar.Client;

import static dev.tokenstarter.token.autoconfigure.TokenClientsRegistrar.CLIENT_NAME;
import static dev.tokenstarter.token.autoconfigure.TokenClientsRegistrar.PRIMARY_CLIENT;

/**
 * The bindings of {@code api.auth}, and the clients they configure. A context binds it at most twice: once to
 * decide whether any client is configured and which beans to register (the condition binds, and keeps what the
 * registrar needs in the bean factory: names and flags, no secrets), and once for the properties bean that the
 * client beans are built from and validated against, once.
 */
final class TokenClientsBinding {

    /** Where the condition's binding is kept for the registrar of the same context. */
    private static final String KEPT = TokenClientsBinding.class.getName() + ".registration";

    private TokenClientsBinding() {
    }

    /** Binds {@code api.auth}; an empty one when nothing is set. */
    static TokenClientsProperties bind(Environment environment) {
        return Binder.get(environment)
            .bind(TokenClientsProperties.PREFIX, TokenClientsProperties.class)
            .orElseGet(TokenClientsProperties::new);
    }

    /**
     * The registration the condition kept in {@code registry} for the registrar of the same context, or
     * {@code null}.
     */
    static @Nullable Registration kept(@Nullable Object registry, Environment environment) {
        return (registry instanceof SingletonBeanRegistry singletons
                && singletons.getSingleton(KEPT) instanceof Registration kept && kept.environment() == environment)
                        ? kept : null;
    }

    /** Keeps {@code registration} in {@code registry} for the registrar of the same context. */
    static void keep(@Nullable Object registry, Registration registration) {
        if (registry instanceof SingletonBeanRegistry singletons && !singletons.containsSingleton(KEPT)) {
            singletons.registerSingleton(KEPT, registration);
        }
    }

    /** What registration needs of {@code properties}: names and two flags per client, no secrets. */
    static Registration registration(Environment environment, TokenClientsProperties properties) {
        List<Registration.Planned> planned = new ArrayList<>();
        clients(properties).values().forEach((client) -> planned.add(new Registration.Planned(client.name(),
                client.prefix(), client.properties().getShared().isEnabled(), client.properties().hasScope(),
                client.properties().getOnBehalfOf().getMode() != OnBehalfOfProperties.Mode.NONE)));
        return new Registration(environment, properties.isConfigured(), List.copyOf(properties.getClients().keySet()),
                planned);
    }

    /**
     * Checks the client names, before bean names are made from them: kebab case or lower camel case, not the
     * primary client's, and no two giving the same bean names.
     * @throws InvalidTokenClientPropertyException for the first name that is not
     */
    static void checkNames(Registration registration) {
        Map<String, String> prefixes = new LinkedHashMap<>();
        if (registration.primaryConfigured()) {
            prefixes.put(PRIMARY_CLIENT, PRIMARY_CLIENT);
        }
        registration.named().forEach((name) -> {
            String prefix = new ClientBeanNames(name).prefix();
            String key = TokenClientsProperties.PREFIX + ".clients." + name;
            if (!name.matches(CLIENT_NAME) || PRIMARY_CLIENT.equals(prefix)) {
                throw new InvalidTokenClientPropertyException(key, "client name '" + name + "' is "
                        + (PRIMARY_CLIENT.equals(prefix) ? "reserved for the client configured under api.auth itself"
                                : "neither kebab case nor lower camel case (its bean names start with it)"),
                        "Rename the client, e.g. api.auth.clients.orders or api.auth.clients.order-history.");
            }
            String same = prefixes.putIfAbsent(prefix, name);
            if (same != null) {
                throw new InvalidTokenClientPropertyException(key, "client names '" + same + "' and '" + name
                        + "' give the same bean names (" + new ClientBeanNames(name).webClient() + ", …)",
                        "Keep one of the two spellings.");
            }
        });
    }

    /** The configured clients by name, in order, as configured (not validated). */
    static Map<String, Client> clients(TokenClientsProperties properties) {
        Map<String, Client> clients = new LinkedHashMap<>();
        if (properties.isConfigured()) {
            clients.put(PRIMARY_CLIENT, new Client(PRIMARY_CLIENT, TokenClientsProperties.PREFIX, properties));
        }
        properties.getClients().forEach((name, client) -> clients.put(name,
                new Client(name, TokenClientsProperties.PREFIX + ".clients." + name, client)));
        return clients;
    }

    /**
     * The configured clients by name, validated (their names were checked when their beans were registered:
     * {@link #checkNames}).
     * @throws InvalidTokenClientPropertyException for the first invalid property
     */
    static Map<String, Client> validated(TokenClientsProperties properties) {
        Map<String, Client> clients = clients(properties);
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
     * What the registrar needs to know of the configured clients, kept from the condition's binding: no secrets.
     *
     * @param environment the environment it was bound from
     * @param primaryConfigured whether the client under {@code api.auth} itself is configured
     * @param named the names under {@code api.auth.clients}, in order
     * @param clients every client, the primary one first
     */
    record Registration(Environment environment, boolean primaryConfigured, List<String> named, List<Planned> clients) {

        /** Whether any client is configured. */
        boolean any() {
            return !clients.isEmpty();
        }

        /**
         * @param name the client name as configured
         * @param prefix its property prefix
         * @param shared whether it shares its token ({@code shared.enabled})
         * @param scoped whether it has a {@code base-url} or {@code allowed-hosts}, so that requests may carry its
         * token (else it gets a provider only)
         * @param onBehalfOf whether its token is the incoming request's, or obtained for it ({@code on-behalf-of.mode})
         */
        record Planned(String name, String prefix, boolean shared, boolean scoped, boolean onBehalfOf) {
        }
    }
}
