package dev.tokenstarter.token.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenUnavailableException;

/**
 * How a caller without a usable token waits for the fetch in flight: blocking or reactive, bounded by the wait
 * timeout either way, and never blocking a non-blocking thread.
 */
final class FetchWait {

    private final Duration timeout;

    private final String description;

    /**
     * @param timeout how long a caller waits
     * @param description names the provider in messages
     */
    FetchWait(Duration timeout, String description) {
        this.timeout = timeout;
        this.description = description;
    }

    /** The fetch's token for a subscriber; one subscriber going away does not cancel it for the others. */
    Mono<AccessToken> reactive(CompletableFuture<AccessToken> fetch) {
        return Mono.fromFuture(fetch, true).timeout(timeout, Mono.error(this::timedOut));
    }

    /** The fetch's token, waited for on this thread. */
    AccessToken block(CompletableFuture<AccessToken> fetch) {
        if (!fetch.isDone() && Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("getToken() would block a non-blocking thread ("
                    + Thread.currentThread().getName() + ") while waiting for a token for " + description
                    + "; use token() in reactive code");
        }
        try {
            return fetch.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TokenUnavailableException("Token request for " + description + " failed", cause);
        }
        catch (TimeoutException ex) {
            throw timedOut();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException("Interrupted while waiting for a token for " + description, ex);
        }
    }

    private TokenUnavailableException timedOut() {
        return new TokenUnavailableException("Timed out after " + timeout.toMillis() + " ms waiting for a token for "
                + description, null);
    }
}
