package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

/**
 * What health and metrics show of a client's shared token, without any Redis type: whether sharing works
 * right now, where the current token came from, and counts since startup.
 */
public interface SharedTokenStatus {

    /** Whether this instance currently fetches its own tokens because Redis failed or could not be read. */
    boolean degraded();

    /** Why sharing is degraded (secret-free), or {@code null} while it works. */
    @Nullable String degradedReason();

    /**
     * Whether {@code tokenValue} was fetched from the token endpoint by this instance; {@code false} when it
     * came from another instance through Redis.
     */
    boolean fetchedHere(String tokenValue);

    /**
     * Whether {@code tokenValue} is the token this instance last saw marked rejected in Redis: an API
     * rejected it, and no instance may hand it out again.
     */
    boolean markedRejected(String tokenValue);

    /** Reads of the shared token in Redis. */
    long reads();

    /** Refresh leases this instance took, so it fetched for the fleet. */
    long locksWon();

    /** Refresh leases another instance held, so this one waited for its token. */
    long locksLost();

    /** Publications of new tokens received from Redis. */
    long publicationsReceived();

    /**
     * Token requests this instance made on its own, with the base grant, because sharing was degraded, the
     * wait ran out or the stored token is another client's.
     */
    long fallbacks();

    /**
     * Times this instance was denied the fleet's one refetch after a 401 because another instance had made it
     * within {@code refresh.min-refetch-interval}: it then waited for the fleet's token instead of requesting
     * one.
     */
    long rejectionRefetchesDenied();

    /**
     * Reads that found another client's token under this client's key prefix (another token endpoint, client
     * id, grant, scopes, audience or resource) and did not use it.
     */
    long foreignEntries();
}
