package dev.tokenstarter.token.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.internal.actuate.OnBehalfOfMetrics;
import dev.tokenstarter.token.internal.actuate.SharedTokenMetrics;
import dev.tokenstarter.token.internal.actuate.TokenFetchMetrics;
import dev.tokenstarter.token.internal.actuate.TokenProviderMetrics;

/**
 * Micrometer metrics of the token clients: the {@code api.auth.token.fetch} observation per token
 * request, per-client expiry and 401 meters, the per-subject cache meters of on-behalf-of clients, and the shared-token meters of clients that share their token.
 */
@AutoConfiguration(before = TokenClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ObservationRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@Conditional(OnTokenClientsConfiguredCondition.class)
public final class TokenMetricsAutoConfiguration {

    /** Created by Spring Boot's auto-configuration, not by applications. */
    public TokenMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    TokenFetchMetrics tokenFetchMetrics(ObjectProvider<ObservationRegistry> observations, MeterRegistry meters) {
        return new TokenFetchMetrics(observations.getIfAvailable(() -> meterObservations(meters)), meters);
    }

    @Bean
    @ConditionalOnMissingBean
    TokenProviderMetrics tokenProviderMetrics(TokenClients clients) {
        return new TokenProviderMetrics(clients.providers(), clients.clock());
    }

    @Bean
    @ConditionalOnMissingBean
    OnBehalfOfMetrics onBehalfOfMetrics(TokenClients clients) {
        return new OnBehalfOfMetrics(clients.providers());
    }

    @Bean
    @ConditionalOnMissingBean
    SharedTokenMetrics sharedTokenMetrics(TokenClients clients, ListableBeanFactory beanFactory) {
        return new SharedTokenMetrics(SharedTokenStatuses.all(beanFactory, clients));
    }

    /** Without Boot's observation support, fetches are still timed. */
    private static ObservationRegistry meterObservations(MeterRegistry meters) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return registry;
    }
}
