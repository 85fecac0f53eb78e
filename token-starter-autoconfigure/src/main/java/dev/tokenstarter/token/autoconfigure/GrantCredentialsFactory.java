package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.internal.endpoint.FileCredentialSource;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.endpoint.TokenExchange;

/**
 * Builds the credentials of the token exchange and JWT bearer grants from a client's properties: each
 * {@link CredentialProperties} becomes a fixed value, a file read again when it changes, or the
 * named {@link CredentialSource} bean.
 */
final class GrantCredentialsFactory {

    private GrantCredentialsFactory() {
    }

    /** The token exchange of a client with grant-type token-exchange, else {@code null}. */
    static @Nullable TokenExchange tokenExchange(BeanFactory beanFactory, TokenClientsRegistrar.Client client) {
        return tokenExchange(beanFactory, client, null);
    }

    /**
     * The token exchange of a client with grant-type token-exchange, with {@code subject} as its subject token
     * if given (an on-behalf-of client's incoming token), else {@code null}.
     */
    static @Nullable TokenExchange tokenExchange(BeanFactory beanFactory, TokenClientsRegistrar.Client client,
            @Nullable CredentialSource subject) {
        TokenClientProperties properties = client.properties();
        if (properties.getGrantType() != GrantType.TOKEN_EXCHANGE) {
            return null;
        }
        TokenExchangeProperties exchange = properties.getTokenExchange();
        String prefix = client.prefix() + ".token-exchange.";
        CredentialSource actor = (exchange.getActorToken().sources() > 0)
                ? source(beanFactory, prefix + "actor-token", exchange.getActorToken()) : null;
        return new TokenExchange((subject != null) ? subject
                : source(beanFactory, prefix + "subject-token", exchange.getSubjectToken()),
                exchange.getSubjectTokenType().trim(), actor, (actor != null) ? exchange.getActorTokenType().trim() : null,
                exchange.getAudience(), exchange.getResource(),
                StringUtils.hasText(exchange.getRequestedTokenType()) ? exchange.getRequestedTokenType().trim() : null);
    }

    /** The assertion of a client with grant-type jwt-bearer, else {@code null}. */
    static @Nullable CredentialSource jwtBearerAssertion(BeanFactory beanFactory, TokenClientsRegistrar.Client client) {
        TokenClientProperties properties = client.properties();
        return (properties.getGrantType() == GrantType.JWT_BEARER) ? source(beanFactory,
                client.prefix() + ".jwt-bearer.assertion", properties.getJwtBearer().getAssertion()) : null;
    }

    private static CredentialSource source(BeanFactory beanFactory, String property, CredentialProperties credential) {
        if (StringUtils.hasText(credential.getValue())) {
            return CredentialSource.of(credential.getValue().trim());
        }
        if (StringUtils.hasText(credential.getLocation())) {
            String location = credential.getLocation().trim();
            return new FileCredentialSource(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        }
        String bean = credential.getBean();
        Assert.state(bean != null, () -> "one of " + property + ".value, .location and .bean must be set (checked by "
                + "TokenClientPropertiesValidator)");
        String name = bean.trim();
        try {
            return beanFactory.getBean(name, CredentialSource.class);
        }
        catch (BeansException ex) {
            throw new InvalidTokenClientPropertyException(property + ".bean", "there is no bean named '" + name
                    + "' of type CredentialSource (" + ex.getClass().getSimpleName() + ")", "Define it, e.g. @Bean "
                            + "CredentialSource " + name + "() { return () -> …; }, or correct the name.");
        }
    }
}
