package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenListener;

/**
 * Listens to the provider for the end of a run of rejections: an API accepted a token again, so the fleet's
 * refetch after a rejection is free again. (The rejection itself reaches sharing as the provider's fetch for
 * that reason, which marks the token rejected in Redis.)
 */
final class SharedTokenRejections implements TokenListener {

    // one log category for all of sharing
    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private final String client;

    private final SharedTokenConnection connection;

    private final Duration rejectionRefetchInterval;

    SharedTokenRejections(String client, SharedTokenConnection connection, Duration rejectionRefetchInterval) {
        this.client = client;
        this.connection = connection;
        this.rejectionRefetchInterval = rejectionRefetchInterval;
    }

    /**
     * One command per run of rejections, sent off the caller's thread; a failure only leaves the limit to
     * expire.
     */
    @Override
    public void onRejectionsEnded(AccessToken token) {
        if (!connection.degraded() && !rejectionRefetchInterval.isZero()) {
            connection.store().clearRejectionRefetch().timeout(connection.commandTimeout())
                .subscribeOn(connection.workers())
                .subscribe((cleared) -> { }, (ex) -> logger.debug("Could not free the refetch after a rejection of client '"
                        + client + "': " + ex.getMessage()));
        }
    }
}
