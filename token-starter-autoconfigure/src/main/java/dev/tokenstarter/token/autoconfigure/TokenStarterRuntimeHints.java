package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the starter does reflectively in a native image: binding {@code api.auth.*} into
 * {@link TokenClientsProperties}, including the named clients' map of {@link TokenClientProperties} and their
 * property groups, reads the properties classes' constructors and accessors.
 */
class TokenStarterRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(TokenClientsProperties.class, TokenClientProperties.class).registerHints(hints);
    }
}
