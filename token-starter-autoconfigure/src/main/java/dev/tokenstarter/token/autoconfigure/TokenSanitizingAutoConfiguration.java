package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.tokenstarter.token.internal.actuate.TokenSecretsSanitizer;

/**
 * Keeps the token clients' secrets masked in the {@code env} and {@code configprops} endpoints, whatever
 * their {@code show-values} setting.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@Conditional(OnTokenClientsConfiguredCondition.class)
public final class TokenSanitizingAutoConfiguration {

    /** Created by Spring Boot's auto-configuration, not by applications. */
    public TokenSanitizingAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "apiAuthSanitizingFunction")
    SanitizingFunction apiAuthSanitizingFunction() {
        return new TokenSecretsSanitizer();
    }
}
