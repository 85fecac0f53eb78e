package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

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

    /** The status of {@code client}'s shared token, or {@code null} when it does not share it. */
    static @Nullable SharedTokenStatus of(ListableBeanFactory beanFactory, String client) {
        if (!ClassUtils.isPresent(SharedTokensWiring.SPRING_DATA_REDIS, SharedTokenStatuses.class.getClassLoader())) {
            return null; // no client can share: SharedTokens needs Spring Data Redis, and is not loaded without it
        }
        SharedTokens shared = beanFactory.getBeansOfType(SharedTokens.class).get(new ClientBeanNames(client).sharedTokens());
        return (shared != null) ? shared.status() : null;
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
