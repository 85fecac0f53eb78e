package dev.tokenstarter.sample.caller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenClients;

/**
 * Logs every token the starter obtains (masked), and whether it replaced the previous one before that
 * expired, which is what the scheduled refresher is for.
 */
@Component
public class TokenRefreshLogger {

    private static final Logger logger = LoggerFactory.getLogger(TokenRefreshLogger.class);

    private final AtomicLong proactiveRefreshes = new AtomicLong();

    public TokenRefreshLogger(TokenClients clients) {
        clients.names().forEach((name) -> clients.addListener(name, new Listener(name)));
    }

    /** How many tokens replaced one that had not expired yet. */
    public long proactiveRefreshes() {
        return proactiveRefreshes.get();
    }

    private final class Listener implements TokenListener {

        private final String name;

        private final AtomicReference<AccessToken> previous = new AtomicReference<>();

        Listener(String name) {
            this.name = name;
        }

        @Override
        public void onTokenFetched(AccessToken token) {
            AccessToken before = previous.getAndSet(token);
            Instant now = Clock.systemUTC().instant();
            if (before == null) {
                logger.info("[{}] first token {} valid for {} s", name, Secrets.mask(token.value()),
                        token.lifetime().toSeconds());
            }
            else if (now.isBefore(before.expiresAt())) {
                proactiveRefreshes.incrementAndGet();
                logger.info("[{}] token refreshed ahead of expiry: {} replaces {} which had {} ms left", name,
                        Secrets.mask(token.value()), Secrets.mask(before.value()),
                        Duration.between(now, before.expiresAt()).toMillis());
            }
            else {
                logger.info("[{}] token renewed after expiry: {}", name, Secrets.mask(token.value()));
            }
        }
    }
}
