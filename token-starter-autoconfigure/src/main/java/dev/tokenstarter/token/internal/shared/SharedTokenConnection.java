package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.shared.SharedTokenCodec.UnreadableTokenException;
import dev.tokenstarter.token.internal.shared.SharedTokenCounters.Trouble;
import dev.tokenstarter.token.internal.shared.SharedTokenStore.Stored;

/**
 * One instance's way to a client's shared entry: every Redis command with the command timeout and off
 * Lettuce's event loops, any failure as {@link RedisTrouble}, which makes this instance fetch its own tokens
 * (one WARN) until Redis answers again, tried at most once a second; and the entry, read and decoded for
 * this instance's clock and identity.
 */
final class SharedTokenConnection {

    // one log category for all of sharing
    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private static final Duration REJOIN_INTERVAL = Duration.ofSeconds(1);

    private final String client;

    private final SharedTokenStore store;

    private final SharedTokenCodec codec;

    private final String identity;

    private final Duration commandTimeout;

    private final Clock clock;

    private final Ticker ticker;

    private final SharedTokenCounters counters;

    /** Where Redis' answers are handled, off Lettuce's event loops. */
    private final Scheduler workers = Schedulers.boundedElastic();

    SharedTokenConnection(String client, SharedTokenStore store, SharedTokenCodec codec, String identity,
            Duration commandTimeout, Clock clock, Ticker ticker, SharedTokenCounters counters) {
        this.client = client;
        this.store = store;
        this.codec = codec;
        this.identity = identity;
        this.commandTimeout = commandTimeout;
        this.clock = clock;
        this.ticker = ticker;
        this.counters = counters;
    }

    SharedTokenStore store() {
        return store;
    }

    SharedTokenCodec codec() {
        return codec;
    }

    Scheduler workers() {
        return workers;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    /** The provider's clock, which a read entry's remaining lifetime is added to. */
    Clock clock() {
        return clock;
    }

    /** The provider's monotonic source. */
    Ticker ticker() {
        return ticker;
    }

    /** Whether this instance fetches its own tokens because Redis failed or could not be read. */
    boolean degraded() {
        return counters.trouble() != null;
    }

    /** Whether Redis failed less than a second ago: until then this instance does not ask it again. */
    boolean resting() {
        Trouble current = counters.trouble();
        return current != null && ticker.nanoTime() - current.retryAtNanos() < 0;
    }

    /**
     * A Redis command with the command timeout; any failure becomes {@link RedisTrouble}, success rejoins.
     * It is sent from a worker (the first command of a connection factory connects, which blocks) and its
     * answer is handed to a worker: Lettuce delivers it on its event loop, and what follows (building and
     * sending the token request, with its assertion signed and its credential sources read, the provider's
     * listeners) must never run there.
     */
    <T> Mono<T> redis(Mono<T> command) {
        return command.subscribeOn(workers)
            .timeout(commandTimeout)
            .onErrorMap((ex) -> !(ex instanceof RedisTrouble), RedisTrouble::new)
            .publishOn(workers)
            .doOnSuccess((ignored) -> rejoin());
    }

    /** {@code flow}, or when Redis fails in it, degraded: {@code instead}. */
    <T> Mono<T> orDegraded(Mono<T> flow, Supplier<Mono<T>> instead) {
        return flow.onErrorResume(RedisTrouble.class, (ex) -> {
            degrade(ex);
            return instead.get();
        });
    }

    /**
     * The stored entry; its token (only if it is this client's) expires at this instance's now plus the
     * entry's remaining lifetime. An unreadable one (another encryption key: as the identity is keyed with
     * it, a wrong key also shows as another identity) is Redis trouble too: this instance goes its own way.
     */
    Mono<Entry> read() {
        // decoded (decrypted, fingerprinted) on a worker, inside redis(): an unreadable entry is Redis trouble
        return redis(store.read().publishOn(workers).map((stored) -> {
            // decoded also when it is another identity's: one this instance cannot decrypt means another key
            AccessToken token = codec.decode(stored.data(), clock.instant().plus(stored.remaining()), stored.lifetime());
            return new Entry(stored, identity.equals(stored.identity()) ? token : null);
        })).doOnSubscribe((ignored) -> counters.reads.increment());
    }

    /** {@code command}, which takes or needs the lease of {@code owner}; failing, it gives the lease back. */
    <T> Mono<T> releasingOnError(Mono<T> command, String owner) {
        return command.onErrorResume((ex) -> releaseLease(owner).then(Mono.error(ex)));
    }

    Mono<Boolean> releaseLease(String owner) {
        return redis(store.releaseLease(owner)).onErrorResume(RedisTrouble.class, (ex) -> Mono.just(false));
    }

    void degrade(RedisTrouble ex) {
        Trouble before = counters.trouble();
        counters.trouble(new Trouble(ex.getMessage(), ticker.nanoTime() + REJOIN_INTERVAL.toNanos()));
        if (before == null) {
            logger.warn("Sharing the token of client '" + client + "' through Redis failed (" + ex.getMessage()
                    + "); this instance fetches its own tokens until Redis answers again");
        }
    }

    private void rejoin() {
        if (counters.trouble() != null) {
            counters.trouble(null);
            logger.info("Redis answers again: the token of client '" + client + "' is shared again");
        }
    }

    /** Redis failed, timed out, or holds a token this instance cannot read; the message is secret-free. */
    static final class RedisTrouble extends RuntimeException {

        RedisTrouble(Throwable cause) {
            super(describe(cause), cause, false, false);
        }

        private static String describe(Throwable cause) {
            if (cause instanceof TimeoutException) {
                return "no answer within the command timeout";
            }
            if (cause instanceof UnreadableTokenException && cause.getMessage() != null) {
                return cause.getMessage();
            }
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return cause.getClass().getSimpleName() + ": " + root.getMessage();
        }
    }

    /**
     * A stored entry, read: {@code stored} is {@code null} when there is none, {@code token} when the entry is
     * another client's.
     */
    record Entry(@Nullable Stored stored, @Nullable AccessToken token) {

        static final Entry NONE = new Entry(null, null);

        boolean foreign() {
            return stored != null && token == null;
        }

        /** The token, unless there is none, it is another client's or it was rejected. */
        @Nullable AccessToken handOut() {
            return (stored != null && !stored.rejected()) ? token : null;
        }
    }
}
