package dev.tokenstarter.token.internal.actuate;

import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.tokenstarter.token.internal.shared.SharedTokenStatus;

/**
 * Metrics of clients that share their token through Redis, tagged {@code client}: {@value #READS},
 * {@value #LOCK} (the refresh lease; tag {@code outcome}: {@code won} when this instance fetched for the fleet, {@code lost} when
 * it waited for another's token), {@value #PUBLICATIONS}, {@value #FALLBACKS} (token requests made on its
 * own), {@value #REJECTION_REFETCHES_DENIED} (refetches after a 401 left to the instance that made the
 * fleet's one within the interval), {@value #FOREIGN_ENTRIES} (another client's token found under the key
 * prefix and left alone) and the gauge {@value #DEGRADED} (1 while Redis is not used).
 */
public final class SharedTokenMetrics implements MeterBinder {

    public static final String READS = "api.auth.shared.reads";

    public static final String LOCK = "api.auth.shared.lock";

    public static final String PUBLICATIONS = "api.auth.shared.publications";

    public static final String FALLBACKS = "api.auth.shared.fallbacks";

    public static final String DEGRADED = "api.auth.shared.degraded";

    public static final String REJECTION_REFETCHES_DENIED = "api.auth.shared.rejection-refetches.denied";

    public static final String FOREIGN_ENTRIES = "api.auth.shared.foreign-entries";

    private final Map<String, SharedTokenStatus> clients;

    public SharedTokenMetrics(Map<String, SharedTokenStatus> clients) {
        this.clients = Map.copyOf(clients);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        clients.forEach((client, status) -> {
            FunctionCounter.builder(READS, status, SharedTokenStatus::reads).tag("client", client)
                .description("Reads of the shared token in Redis").register(registry);
            FunctionCounter.builder(LOCK, status, SharedTokenStatus::locksWon).tag("client", client).tag("outcome", "won")
                .description("Refresh leases taken (won) or found held by another instance (lost)").register(registry);
            FunctionCounter.builder(LOCK, status, SharedTokenStatus::locksLost).tag("client", client).tag("outcome", "lost")
                .description("Refresh leases taken (won) or found held by another instance (lost)").register(registry);
            FunctionCounter.builder(PUBLICATIONS, status, SharedTokenStatus::publicationsReceived).tag("client", client)
                .description("Publications of new shared tokens received").register(registry);
            FunctionCounter.builder(FALLBACKS, status, SharedTokenStatus::fallbacks).tag("client", client)
                .description("Token requests made by this instance alone (base grant) because Redis failed, the wait ran out "
                        + "or the stored token is another client's")
                .register(registry);
            FunctionCounter.builder(REJECTION_REFETCHES_DENIED, status, SharedTokenStatus::rejectionRefetchesDenied)
                .tag("client", client)
                .description("Token requests after a 401 not made because another instance made the fleet's one "
                        + "within the refetch interval")
                .register(registry);
            FunctionCounter.builder(FOREIGN_ENTRIES, status, SharedTokenStatus::foreignEntries).tag("client", client)
                .description("Reads that found another client's token under this client's key prefix and left it")
                .register(registry);
            Gauge.builder(DEGRADED, status, (s) -> s.degraded() ? 1 : 0).tag("client", client)
                .description("1 while this instance fetches its own tokens because Redis failed").register(registry);
        });
    }
}
