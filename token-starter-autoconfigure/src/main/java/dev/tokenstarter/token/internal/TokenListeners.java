package dev.tokenstarter.token.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.tokenstarter.token.TokenListener;

/** The listeners of one provider: a listener that throws must not break the fetch everybody waits for. */
final class TokenListeners {

    private static final Log logger = LogFactory.getLog(CachingTokenProvider.class);

    private final List<TokenListener> listeners = new CopyOnWriteArrayList<>();

    private final String description;

    TokenListeners(String description) {
        this.description = description;
    }

    void add(TokenListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(TokenListener listener) {
        listeners.remove(listener);
    }

    void tell(Consumer<TokenListener> call) {
        for (TokenListener listener : listeners) {
            try {
                call.accept(listener);
            }
            catch (RuntimeException ex) {
                logger.warn("Token listener " + listener + " of " + description + " failed", ex);
            }
        }
    }
}
