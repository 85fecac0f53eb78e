package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one token client is configured, as the bound {@code api.auth} properties say: the
 * client under {@code api.auth} itself, or any {@code api.auth.clients.<name>}.
 */
class OnTokenClientsConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Token clients");
        TokenClientsProperties properties;
        try {
            // kept for the registrar: one binding decides both whether and which beans are registered
            properties = TokenClientsBinding.forRegistration(context.getEnvironment(), context.getBeanFactory());
        }
        catch (BindException ex) {
            // something is configured; the binding that creates the clients reports what is wrong with it
            return ConditionOutcome.match(message.found("property").items(ex.getName()));
        }
        if (properties.isConfigured()) {
            return ConditionOutcome.match(message.found("client").items(TokenClientsRegistrar.PRIMARY_CLIENT));
        }
        if (!properties.getClients().isEmpty()) {
            return ConditionOutcome.match(message.found("client", "clients").items(properties.getClients().keySet()));
        }
        // keys under api.auth but no client: if they are all mistakes, say so rather than back off in silence
        UnboundTokenClientKeys.check(context.getEnvironment());
        return ConditionOutcome.noMatch(message.because("no client is configured under " + TokenClientsProperties.PREFIX));
    }
}
