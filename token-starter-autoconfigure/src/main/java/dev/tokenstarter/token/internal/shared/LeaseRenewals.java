package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenUnavailableException;

/** The renewals of refresh leases held by this instance's fetches in flight; closing stops them, so the leases run out. */
final class LeaseRenewals implements AutoCloseable {

    // one log category for all of sharing
    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private final String client;

    private final SharedTokenConnection connection;

    private final SharedTokenStore store;

    private final Duration leaseTtl;

    private final Disposable.Composite renewals = Disposables.composite();

    LeaseRenewals(String client, SharedTokenConnection connection, Duration leaseTtl) {
        this.client = client;
        this.connection = connection;
        this.store = connection.store();
        this.leaseTtl = leaseTtl;
    }

    /** Renews the lease of {@code owner}, which a fetch holds, until it is stopped or cancelled. */
    Renewal start(String owner) {
        return new Renewal(owner);
    }

    @Override
    public void close() {
        renewals.dispose();
    }

    /**
     * The lease's renewal while its fetch runs: every third of its ttl, by compare and set. Once Redis says
     * the lease is another's (it ran out, Redis lost it), the fetch is given up, so that nothing of it, a
     * second request included, goes out outside the lease; a renewal that fails or times out is only tried
     * again. Stopping gives the lease back; cancelling only ends the renewal.
     */
    final class Renewal {

        private final String owner;

        private final Sinks.Empty<Void> lost = Sinks.empty();

        private final Disposable ticks;

        Renewal(String owner) {
            this.owner = owner;
            Duration every = leaseTtl.dividedBy(3);
            this.ticks = Flux.interval(every, every)
                .concatMap((tick) -> store.renewLease(owner, leaseTtl)
                    .subscribeOn(connection.workers())
                    .timeout(connection.commandTimeout())
                    .onErrorResume((ex) -> Mono.empty()))
                .publishOn(connection.workers()) // giving the fetch up (cancelling it, releasing the lease) never on Lettuce's thread
                .filter((renewed) -> !renewed)
                .next()
                .subscribe((notRenewed) -> {
                    logger.warn("The refresh lease of client '" + client + "' ran out during its token request (Redis "
                            + "answered too slowly or lost it); the request is given up");
                    lost.tryEmitEmpty();
                });
            renewals.add(ticks);
        }

        Mono<AccessToken> lost() {
            return lost.asMono().then(Mono.error(() -> new TokenUnavailableException("The shared refresh lease of client '"
                    + client + "' ran out during its token request; another instance may fetch now", null)));
        }

        Mono<Boolean> stop() {
            cancel();
            return connection.releaseLease(owner);
        }

        void cancel() {
            renewals.remove(ticks);
            ticks.dispose();
        }
    }

}
