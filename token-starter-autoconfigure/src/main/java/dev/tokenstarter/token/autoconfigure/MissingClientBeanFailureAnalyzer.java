package dev.tokenstarter.token.autoconfigure;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.autoconfigure.TokenClientsRegistrar.Client;

/**
 * A missing {@code WebClient} or {@code RestClient} bean that a configured client would have had with a
 * {@code base-url}: names the client and the property instead of Spring's generic "required a bean of type".
 * Ahead of Spring Boot's own analyzer for missing beans, which handles every other case.
 */
class MissingClientBeanFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
        implements Ordered {

    private static final List<String> SUFFIXES = List.of(ClientBeanNames.WEB_CLIENT, ClientBeanNames.REST_CLIENT);

    private final Environment environment;

    MissingClientBeanFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        if (cause instanceof NoUniqueBeanDefinitionException) {
            return null; // several beans, not none: Spring Boot's own analyzer says which
        }
        String kind = kind(cause);
        if (kind == null) {
            return null;
        }
        Map<String, Client> clients;
        try {
            clients = TokenClientsBinding.validated(TokenClientsBinding.bind(environment));
        }
        catch (RuntimeException ex) {
            return null; // an invalid configuration has failed startup with its own message already
        }
        String wanted = cause.getBeanName();
        List<Map.Entry<String, Client>> unscoped = clients.entrySet()
            .stream()
            .filter((client) -> !hasScope(client.getValue()))
            .filter((client) -> wanted == null || wanted.equals(new ClientBeanNames(client.getKey()).name(kind)))
            .toList();
        if (unscoped.isEmpty()) {
            return null;
        }
        StringBuilder description = new StringBuilder("A ").append(kind).append(" bean")
            .append((wanted != null) ? " named '" + wanted + "'" : "")
            .append(" was required, but there is none. ");
        StringBuilder action = new StringBuilder();
        for (Map.Entry<String, Client> client : unscoped) {
            String name = client.getKey();
            String prefix = client.getValue().prefix();
            description.append("Token client '").append(name).append("' (").append(prefix)
                .append(") has no base-url, so it gets only a TokenProvider ('")
                .append(new ClientBeanNames(name).tokenProvider())
                .append("'), no WebClient or RestClient: without base-url or allowed-hosts no request may "
                        + "receive its token. ");
            action.append("Set ").append(prefix).append(".base-url to the API the token is for (")
                .append(new ClientBeanNames(name).webClient()).append(" and ")
                .append(new ClientBeanNames(name).restClient()).append(" are then created), or inject ")
                .append(new ClientBeanNames(name).tokenProvider()).append(" and add the token yourself.\n");
        }
        return new FailureAnalysis(description.toString().trim(), action.toString().trim(), cause);
    }

    /** {@code WebClient} or {@code RestClient} when that is what was missing, else {@code null}. */
    private static @Nullable String kind(NoSuchBeanDefinitionException cause) {
        Class<?> type = cause.getBeanType();
        if (type != null) {
            return WebClient.class.equals(type) ? ClientBeanNames.WEB_CLIENT
                    : RestClient.class.equals(type) ? ClientBeanNames.REST_CLIENT : null;
        }
        String name = cause.getBeanName();
        return (name != null) ? SUFFIXES.stream().filter(name::endsWith).findFirst().orElse(null) : null;
    }

    private static boolean hasScope(Client client) {
        return client.properties().hasScope();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
