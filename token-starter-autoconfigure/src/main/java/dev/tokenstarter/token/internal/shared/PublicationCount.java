package dev.tokenstarter.token.internal.shared;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Publications received, numbered, for instances waiting for another's token: the subscriber counts them,
 * a waiter notes the number before it reads and waits for a higher one. The latest is replayed, so a waiter
 * cannot miss one that came meanwhile.
 */
final class PublicationCount {

    private final AtomicLong count = new AtomicLong();

    private final Sinks.Many<Long> published = Sinks.many().replay().latest();

    PublicationCount() {
        published.tryEmitNext(0L);
    }

    /** The number of the last publication received. */
    long seen() {
        return count.get();
    }

    /** One more publication arrived; a wait for it ends. */
    void received() {
        published.tryEmitNext(count.incrementAndGet());
    }

    /** Emits once a publication after {@code seen} has arrived (at once if one has), or after {@code wait}. */
    Mono<Long> after(long seen, Duration wait) {
        return published.asFlux().filter((count) -> count > seen).next().timeout(wait, Mono.just(seen));
    }
}
