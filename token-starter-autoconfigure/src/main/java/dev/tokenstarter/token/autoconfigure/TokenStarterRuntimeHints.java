package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the starter does reflectively in a native image: {@link TokenClientBeans} binds
 * {@code api.auth.*} with a {@code Binder} of its own (also for the named clients' map), which reads the
 * properties classes' constructors and accessors.
 */
class TokenStarterRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(TokenClientsProperties.class, TokenClientProperties.class).registerHints(hints);
    }
}
