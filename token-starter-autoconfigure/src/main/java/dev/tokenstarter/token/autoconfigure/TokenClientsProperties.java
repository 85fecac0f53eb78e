package dev.tokenstarter.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code api.auth.*}: the primary API client, plus any named clients under {@code api.auth.clients.<name>}.
 */
@ConfigurationProperties(TokenClientsProperties.PREFIX)
public class TokenClientsProperties extends TokenClientProperties {

    /** The property prefix. */
    public static final String PREFIX = "api.auth";

    /**
     * Further API clients by name, each with the same keys as api.auth. Client "orders" gets the beans
     * ordersTokenProvider, ordersWebClient and ordersRestClient.
     */
    private Map<String, TokenClientProperties> clients = new LinkedHashMap<>();

    /**
     * Whether every WebClient and RestClient built from Spring Boot's builders gets the token filter. It
     * stays scoped: a request only carries the token of the client whose base URL or allowed hosts match.
     */
    private boolean applyToAllClients;

    /** Creates the settings of the primary client and of no named clients. */
    public TokenClientsProperties() {
    }

    /** {@return the further API clients by name} */
    public Map<String, TokenClientProperties> getClients() {
        return this.clients;
    }

    /** Sets the further API clients by name.
     * @param clients the clients by name */
    public void setClients(Map<String, TokenClientProperties> clients) {
        this.clients = clients;
    }

    /** {@return whether every WebClient and RestClient built from Spring Boot's builders gets the token filter} */
    public boolean isApplyToAllClients() {
        return this.applyToAllClients;
    }

    /** Sets whether every WebClient and RestClient built from Spring Boot's builders gets the token filter.
     * @param applyToAllClients whether to apply the filter to all clients */
    public void setApplyToAllClients(boolean applyToAllClients) {
        this.applyToAllClients = applyToAllClients;
    }
}
