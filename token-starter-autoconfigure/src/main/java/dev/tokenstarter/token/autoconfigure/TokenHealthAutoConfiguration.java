package dev.tokenstarter.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.shared.SharedTokenStatus;

/**
 * Health contributor {@code apiAuth}, with one component per client reporting its token's freshness.
 * Disabled with {@code management.health.apiauth.enabled=false}.
 */
@AutoConfiguration(after = TokenClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(TokenClients.class)
@ConditionalOnEnabledHealthIndicator("apiauth")
public final class TokenHealthAutoConfiguration {

    /** Created by Spring Boot's auto-configuration, not by applications. */
    public TokenHealthAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "apiAuthHealthContributor")
    CompositeHealthContributor apiAuthHealthContributor(TokenClients clients, ListableBeanFactory beanFactory) {
        Map<String, TokenHealthIndicator> indicators = new LinkedHashMap<>();
        Map<String, SharedTokenStatus> shared = SharedTokenStatuses.all(beanFactory, clients);
        clients.providers().forEach((name, provider) -> indicators.put(name, new TokenHealthIndicator(provider,
                clients.clock(), shared.get(name))));
        return CompositeHealthContributor.fromMap(indicators);
    }
}
