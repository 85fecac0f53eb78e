package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.shared.SharedTokenStatus;
import dev.tokenstarter.token.shared.SharedTokens;

/** Finds the shared token status of clients that share their token, for health and metrics. */
final class SharedTokenStatuses {

    private SharedTokenStatuses() {
    }

    /** The status of {@code client}'s shared token, or {@code null} when it does not share it. */
    static @Nullable SharedTokenStatus of(ListableBeanFactory beanFactory, String client) {
        String name = TokenClientsRegistrar.beanName(client, "SharedTokens");
        // SharedTokens is named only once the client shares: its class needs Spring Data Redis
        return (beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, SharedTokens.class))
                ? beanFactory.getBean(name, SharedTokens.class).status() : null;
    }

    /** Every sharing client's status by name. */
    static Map<String, SharedTokenStatus> all(ListableBeanFactory beanFactory, TokenClients clients) {
        Map<String, SharedTokenStatus> all = new LinkedHashMap<>();
        for (String client : clients.names()) {
            SharedTokenStatus status = of(beanFactory, client);
            if (status != null) {
                all.put(client, status);
            }
        }
        return all;
    }
}
