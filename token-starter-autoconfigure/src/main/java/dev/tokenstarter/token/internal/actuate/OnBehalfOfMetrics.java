package dev.tokenstarter.token.internal.actuate;

import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

/**
 * The meters of on-behalf-of clients that exchange the incoming token, per client: {@value #ENTRIES}, the
 * subjects cached now; {@value #LOOKUPS}, look-ups of a subject's entry by {@code result} ({@code hit},
 * {@code miss}); {@value #EVICTIONS}, entries evicted (by the bound, or when their subject token expired);
 * {@value #EXCHANGES}, token requests for subjects by {@code outcome} ({@code success}, {@code failure}).
 */
public final class OnBehalfOfMetrics implements MeterBinder {

    /** Gauge name of the cached subjects. */
    public static final String ENTRIES = "api.auth.on-behalf-of.entries";

    /** Counter name of look-ups of a subject's entry. */
    public static final String LOOKUPS = "api.auth.on-behalf-of.lookups";

    /** Counter name of evicted entries. */
    public static final String EVICTIONS = "api.auth.on-behalf-of.evictions";

    /** Counter name of token requests for subjects. */
    public static final String EXCHANGES = "api.auth.on-behalf-of.exchanges";

    private final Map<String, TokenProvider> providers;

    /**
     * @param providers the providers by client name; those of on-behalf-of clients that exchange get meters
     */
    public OnBehalfOfMetrics(Map<String, TokenProvider> providers) {
        this.providers = Map.copyOf(providers);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        providers.forEach((client, provider) -> {
            if (provider instanceof SubjectTokens tokens) {
                bind(registry, client, tokens);
            }
        });
    }

    private static void bind(MeterRegistry registry, String client, SubjectTokens tokens) {
        Gauge.builder(ENTRIES, tokens, (t) -> t.cache().estimatedSize())
            .tag("client", client)
            .description("Subjects whose exchanged token is cached")
            .register(registry);
        FunctionCounter.builder(LOOKUPS, tokens, (t) -> t.cache().stats().hitCount())
            .tags("client", client, "result", "hit")
            .description("Look-ups of a subject's cached token")
            .register(registry);
        FunctionCounter.builder(LOOKUPS, tokens, (t) -> t.cache().stats().missCount())
            .tags("client", client, "result", "miss")
            .description("Look-ups of a subject's cached token")
            .register(registry);
        FunctionCounter.builder(EVICTIONS, tokens, (t) -> t.cache().stats().evictionCount())
            .tag("client", client)
            .description("Subjects evicted from the cache (bound reached, or subject token expired)")
            .register(registry);
        FunctionCounter.builder(EXCHANGES, tokens, SubjectTokens::exchanged)
            .tags("client", client, "outcome", "success")
            .description("Token requests for subjects")
            .register(registry);
        FunctionCounter.builder(EXCHANGES, tokens, SubjectTokens::failedExchanges)
            .tags("client", client, "outcome", "failure")
            .description("Token requests for subjects")
            .register(registry);
    }
}
