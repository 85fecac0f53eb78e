package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.TokenSource;

/**
 * A {@link TokenSource} for a client configured by issuer: the first fetch reads the server's metadata and
 * builds the token endpoint's source from the token endpoint found there, which every later fetch reuses. A
 * failed discovery is a failed fetch (the provider's backoff then holds the next attempt back), and nothing
 * is kept from it, so the next fetch asks again.
 */
public final class DiscoveredTokenSource implements TokenSource {

    private final IssuerDiscovery discovery;

    private final Function<URI, TokenSource> sourceForEndpoint;

    private final AtomicReference<@Nullable TokenSource> discovered = new AtomicReference<>();

    /**
     * @param discovery reads the issuer's metadata
     * @param sourceForEndpoint the source for the token endpoint found
     */
    public DiscoveredTokenSource(IssuerDiscovery discovery, Function<URI, TokenSource> sourceForEndpoint) {
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.sourceForEndpoint = Objects.requireNonNull(sourceForEndpoint, "sourceForEndpoint");
    }

    @Override
    public Mono<AccessToken> fetch(@Nullable AccessToken previous) {
        return Mono.defer(() -> {
            TokenSource source = discovered.get();
            if (source != null) {
                return source.fetch(previous);
            }
            return discovery.tokenEndpoint().flatMap((tokenEndpoint) -> {
                // the provider runs one fetch at a time; should two ever race, the first source found stays
                TokenSource found = sourceForEndpoint.apply(tokenEndpoint);
                TokenSource first = discovered.compareAndExchange(null, found);
                return ((first != null) ? first : found).fetch(previous);
            });
        });
    }

    @Override
    public String toString() {
        TokenSource source = discovered.get();
        return "DiscoveredTokenSource[" + discovery.issuer() + ((source != null) ? " -> " + source : ", not yet discovered")
                + "]";
    }
}
