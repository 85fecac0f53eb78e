package dev.tokenstarter.token;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.tokenstarter.token.internal.TokenEvents;

/**
 * The configured token clients by name ({@code api} for the one under {@code api.auth}, then the named
 * ones in their configured order): each client's provider and state, and the clock expiry is judged by.
 * Health, metrics and applications look clients up here rather than by bean name.
 */
public final class TokenClients {

    /**
     * The name of the request attribute that selects a client by name, see {@link #client(String)}.
     */
    public static final String CLIENT_ATTRIBUTE = TokenClients.class.getName() + ".client";

    private final Set<String> names;

    private final Function<String, TokenProvider> providers;

    private final Clock clock;

    /**
     * Made by the auto-configuration, which registers one as a bean.
     *
     * @param names the client names, in order
     * @param providers the provider of each client, looked up when asked for (so that a provider bean an
     * application defines in place of the starter's is the one found)
     * @param clock the clock expiry is judged by
     */
    public TokenClients(Set<String> names, Function<String, TokenProvider> providers, Clock clock) {
        this.names = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(names));
        this.providers = Objects.requireNonNull(providers, "providers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The name of a bean of a client: the client's name in lower camel case, then {@code suffix}
     * ({@code order-history} and {@code WebClient} give {@code orderHistoryWebClient}; {@code api} and
     * {@code TokenProvider} give {@code apiTokenProvider}).
     * @param client the client name as configured
     * @param suffix {@code TokenProvider}, {@code WebClient}, {@code RestClient}, {@code TokenInterceptor}, …
     * @return the bean name
     */
    public static String beanName(String client, String suffix) {
        StringBuilder name = new StringBuilder(client.length() + suffix.length());
        boolean upper = false;
        for (char c : client.toCharArray()) {
            if (c == '-') {
                upper = true;
            }
            else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.append(suffix).toString();
    }

    /**
     * Selects the client whose token one request gets, on a WebClient or RestClient that carries the filters
     * or interceptors of several clients (one built from Spring Boot's builders with
     * {@code api.auth.apply-to-all-clients}):
     * {@code webClient.get().uri(uri).attributes(TokenClients.client("billing"))}, and the same on a
     * RestClient. The other clients' filters leave such a request alone. The selected client's destinations
     * still apply: a request to a URL outside them gets no token (logged at DEBUG). On a client dedicated to
     * one client (the preconfigured {@code <name>WebClient} or {@code <name>RestClient}, an HTTP service
     * group's client) selecting another client fails the call, as does a name no client has.
     * @param name the client name as configured
     * @return what sets {@link #CLIENT_ATTRIBUTE} among a request's attributes
     */
    public static Consumer<Map<String, Object>> client(String name) {
        Objects.requireNonNull(name, "name");
        return (attributes) -> attributes.put(CLIENT_ATTRIBUTE, name);
    }

    /** {@return the client names, in order} */
    public Set<String> names() {
        return names;
    }

    /**
     * The provider of one client.
     * @param name the client name
     * @return its provider
     * @throws IllegalArgumentException if no client has that name
     */
    public TokenProvider provider(String name) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("No token client named '" + name + "'; configured: " + names);
        }
        return providers.apply(name);
    }

    /**
     * {@return the state of one client's token} For health and metrics.
     *
     * @param name the client name
     * @throws IllegalArgumentException if no client has that name
     */
    public TokenState state(String name) {
        return provider(name).state();
    }

    /**
     * Registers a listener told about every token one client obtains (fetched or adopted from another
     * instance), every failed fetch and every token the API rejects. Called on the thread that completed the
     * fetch: it must return quickly and not throw.
     * @param name the client name
     * @param listener the listener
     * @throws IllegalArgumentException if no client has that name
     * @throws IllegalStateException if the client's provider is an application's own that takes no listeners
     */
    public void addListener(String name, TokenListener listener) {
        listenable(name).addListener(listener);
    }

    /**
     * Removes a listener added with {@link #addListener}.
     * @param name the client name
     * @param listener the listener
     */
    public void removeListener(String name, TokenListener listener) {
        listenable(name).removeListener(listener);
    }

    private TokenEvents listenable(String name) {
        TokenProvider provider = provider(name);
        if (provider instanceof TokenEvents listenable) {
            return listenable;
        }
        throw new IllegalStateException("The token provider of client '" + name + "' (" + provider.getClass().getName()
                + ") is not the starter's and takes no listeners");
    }

    /** {@return every client's provider by name, in order} */
    public Map<String, TokenProvider> providers() {
        Map<String, TokenProvider> all = new LinkedHashMap<>();
        names.forEach((name) -> all.put(name, provider(name)));
        return all;
    }

    /** {@return the clock every expiry decision reads} */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "TokenClients" + names;
    }
}
