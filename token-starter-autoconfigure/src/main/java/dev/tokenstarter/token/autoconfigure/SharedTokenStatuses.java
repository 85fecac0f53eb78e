package dev.tokenstarter.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.shared.SharedTokenStatus;
import dev.tokenstarter.token.internal.shared.SharedTokens;

/** Finds the shared token status of clients that share their token, for health and metrics. */
final class SharedTokenStatuses {

    private SharedTokenStatuses() {
    }

    /**
     * Every sharing client's status by client name, from one look-up of the {@code SharedTokens} beans; a client
     * that does not share its token is absent.
     */
    static Map<String, SharedTokenStatus> all(ListableBeanFactory beanFactory, TokenClients clients) {
        Map<String, SharedTokenStatus> all = new LinkedHashMap<>();
        if (!ClassUtils.isPresent(SharedTokensWiring.SPRING_DATA_REDIS, SharedTokenStatuses.class.getClassLoader())) {
            return all; // no client can share: SharedTokens needs Spring Data Redis, and is not loaded without it
        }
        Map<String, SharedTokens> beans = beanFactory.getBeansOfType(SharedTokens.class);
        for (String client : clients.names()) {
            SharedTokens shared = beans.get(new ClientBeanNames(client).sharedTokens());
            if (shared != null) {
                all.put(client, shared.status());
            }
        }
        return all;
    }
}
