package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import dev.tokenstarter.token.TokenClients;

/**
 * What a request that selects a client by name ({@link TokenClients#client(String)}) means for one client's
 * filter or interceptor: its own client, another configured one, or none configured. On an HTTP client that
 * carries several clients' filters (Spring Boot's builders with {@code apply-to-all-clients}) each leaves a
 * request that selects another client to that client's filter. On an HTTP client dedicated to one client
 * there is no other filter to leave it to: the call fails rather than go out without the token it asked for.
 */
public final class ClientSelection {

    private final String client;

    private final Set<String> configured;

    /**
     * @param client the name of the client whose filter or interceptor decides
     * @param configured the names of all configured clients, in order
     */
    public ClientSelection(String client, Set<String> configured) {
        this.client = Objects.requireNonNull(client, "client");
        this.configured = Collections.unmodifiableSet(new LinkedHashSet<>(configured));
    }

    /**
     * {@return the selection of an application with one client}
     * @param client its name
     */
    public static ClientSelection only(String client) {
        return new ClientSelection(client, Set.of(client));
    }

    /** {@return the name of the client whose filter or interceptor decides} */
    public String client() {
        return client;
    }

    /**
     * Whether a request that selects {@code selected} is this client's.
     * @param selected the value of the request's {@link TokenClients#CLIENT_ATTRIBUTE}
     * @param dedicatedKind {@code WebClient} or {@code RestClient} if the filter or interceptor sits on an HTTP
     * client dedicated to this client, {@code null} if on one shared with other clients' filters
     * @return {@code true} if it selects this client, {@code false} if another one, on a shared HTTP client
     * @throws IllegalArgumentException if no client has that name
     * @throws IllegalStateException if it selects another client on an HTTP client dedicated to this one
     */
    boolean selects(Object selected, @Nullable String dedicatedKind) {
        if (client.equals(selected)) {
            return true;
        }
        if (!(selected instanceof String name) || !configured.contains(name)) {
            throw new IllegalArgumentException("A request selects token client '" + selected + "' (TokenClients.client), "
                    + "but no token client has that name; configured: " + configured);
        }
        if (dedicatedKind != null) {
            throw new IllegalStateException("A request selects token client '" + name + "' (TokenClients.client), but "
                    + "goes through a " + dedicatedKind + " dedicated to token client '" + client + "' (bean '"
                    + TokenClients.beanName(client, dedicatedKind) + "', or an HTTP service group of '" + client
                    + "'), which carries that client's token only. Call through '" + TokenClients.beanName(name, dedicatedKind)
                    + "', or through a " + dedicatedKind + " built from Spring Boot's " + dedicatedKind
                    + ".Builder with api.auth.apply-to-all-clients=true.");
        }
        return false;
    }

    @Override
    public String toString() {
        return "ClientSelection[" + client + " of " + configured + "]";
    }
}
