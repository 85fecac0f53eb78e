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
        TokenClientsBinding.Registration kept = TokenClientsBinding.kept(context.getBeanFactory(), context.getEnvironment());
        if (kept != null) {
            return ConditionOutcome.match(message.found("client", "clients")
                .items(kept.clients().stream().map(TokenClientsBinding.Registration.Planned::name).toList()));
        }
        TokenClientsProperties properties;
        try {
            properties = TokenClientsBinding.bind(context.getEnvironment());
        }
        catch (BindException ex) {
            // something is configured; the binding that creates the clients reports what is wrong with it
            return ConditionOutcome.match(message.found("property").items(ex.getName()));
        }
        TokenClientsBinding.Registration registration = TokenClientsBinding.registration(context.getEnvironment(),
                properties);
        if (registration.any()) {
            // kept for the registrar (names and flags, no secrets): one binding decides whether and which beans
            TokenClientsBinding.keep(context.getBeanFactory(), registration);
            return ConditionOutcome.match(message.found("client", "clients")
                .items(registration.clients().stream().map(TokenClientsBinding.Registration.Planned::name).toList()));
        }
        // keys under api.auth but no client: if they are all mistakes, say so rather than back off in silence
        UnboundTokenClientKeys.check(context.getEnvironment());
        return ConditionOutcome.noMatch(message.because("no client is configured under " + TokenClientsProperties.PREFIX));
    }
}
