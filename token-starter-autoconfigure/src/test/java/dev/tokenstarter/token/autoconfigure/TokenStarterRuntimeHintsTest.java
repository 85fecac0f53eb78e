package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reflection a native image needs for the starter's own binding of {@code api.auth.*}.
 */
class TokenStarterRuntimeHintsTest {

    @Test
    void thePropertiesClassesCanBeBoundInANativeImage() throws NoSuchMethodException {
        RuntimeHints hints = new RuntimeHints();
        new TokenStarterRuntimeHints().registerHints(hints, getClass().getClassLoader());

        for (Class<?> type : new Class<?>[] { TokenClientsProperties.class, TokenClientProperties.class,
                HeaderProperties.class, RequestProperties.class,
                RequestProperties.Ssl.class, ResponseProperties.class,
                RefreshProperties.class, RefreshProperties.Retry.class }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getDeclaredConstructor()))
                .as(type.getName()).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(TokenClientProperties.class.getMethod("setTokenUri", java.net.URI.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(TokenClientsProperties.class.getMethod("getClients"))).accepts(hints);
    }
}
