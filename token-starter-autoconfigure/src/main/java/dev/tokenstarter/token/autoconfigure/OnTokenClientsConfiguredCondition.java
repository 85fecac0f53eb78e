package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one client is configured: {@code api.auth.token-uri}, {@code api.auth.client-id}
 * or {@code api.auth.base-url}, or any {@code api.auth.clients.<name>}.
 */
class OnTokenClientsConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        for (String key : new String[] { "token-uri", "client-id", "base-url" }) {
            if (binder.bind(ApiAuthProperties.PREFIX + "." + key, Bindable.of(String.class)).isBound()) {
                return ConditionOutcome.match("api.auth." + key + " is set");
            }
        }
        if (binder.bind(ApiAuthProperties.PREFIX + ".clients", Bindable.mapOf(String.class, Object.class)).isBound()) {
            return ConditionOutcome.match("api.auth.clients is set");
        }
        return ConditionOutcome.noMatch("no api.auth client is configured");
    }
}
