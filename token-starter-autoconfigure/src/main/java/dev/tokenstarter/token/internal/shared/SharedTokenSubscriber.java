package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.TokenOffers;

/**
 * Listens for the tokens other instances publish and offers them to the provider, which keeps the later
 * one; each publication also ends the waits of this instance's fetches for the fleet's token. A lost
 * connection is subscribed to again, backing off up to two seconds.
 */
final class SharedTokenSubscriber {

    // one log category for all of sharing
    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private final String client;

    private final SharedTokenConnection connection;

    private final SharedTokenCounters counters;

    private final PublicationCount publications;

    private final RefreshTiming timing;

    SharedTokenSubscriber(String client, SharedTokenConnection connection, SharedTokenCounters counters,
            PublicationCount publications, RefreshTiming timing) {
        this.client = client;
        this.connection = connection;
        this.counters = counters;
        this.publications = publications;
        this.timing = timing;
    }

    /** Starts listening; disposing the result stops it. */
    Disposable offerTo(TokenOffers provider) {
        return connection.store().publications()
            .doOnSubscribe((ignored) -> logger.debug("Listening for shared tokens of client '" + client + "'"))
            // messages arrive on Lettuce's event loop; waking waiters and reading the entry happen on a worker
            .publishOn(connection.workers())
            .concatMap((fingerprint) -> {
                counters.publications.increment();
                publications.received();
                return adopt(fingerprint, provider);
            })
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)))
            .subscribe();
    }

    /** A publication: the stored token is read and offered to the provider, which keeps the later one. */
    private Mono<Void> adopt(String fingerprint, TokenOffers provider) {
        if (connection.degraded()) {
            return Mono.empty();
        }
        Mono<Void> offered = connection.read().doOnNext((entry) -> {
            AccessToken token = entry.handOut();
            SharedTokenStore.Stored stored = entry.stored();
            if (token != null && stored != null && stored.fingerprint().equals(fingerprint) && isUsable(token)) {
                provider.offer(token);
            }
        }).then();
        return connection.orDegraded(offered, Mono::empty).onErrorResume((ex) -> Mono.empty());
    }

    private boolean isUsable(AccessToken token) {
        return connection.clock().millis() < timing.usableUntil(token).toEpochMilli();
    }
}
