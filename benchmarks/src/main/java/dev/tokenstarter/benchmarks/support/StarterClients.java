package dev.tokenstarter.benchmarks.support;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.web.TokenWebClientFilter;
import dev.tokenstarter.token.web.TokenRestClientInterceptor;
import dev.tokenstarter.token.internal.web.TokenDestinations;

/**
 * token-starter's provider, filter and interceptor with a token already cached (the source would issue a
 * new one-hour token, but is not called again within a benchmark).
 */
public final class StarterClients {

    /** The API origin the token is scoped to. */
    public static final URI API = URI.create("http://api.example.com");

    /** The cached token's value, shared with {@link SpringSecurityClients#withCachedToken()}. */
    public static final String TOKEN_VALUE = "eyJhbGciOiJSUzI1NiJ9.bench-token-value";

    private final CachingTokenProvider provider;

    private final TokenAuthorizer authorizer;

    public StarterClients(Clock clock) {
        this(clock, null);
    }

    /**
     * @param dpop DPoP proofs, then the cached token is a DPoP-bound one; {@code null}: a Bearer token
     */
    public StarterClients(Clock clock, @Nullable DPoPProofs dpop) {
        this.provider = new CachingTokenProvider((previous) -> Mono.fromSupplier(() -> AccessToken.of(
                TOKEN_VALUE, (dpop != null) ? DPoPProofs.TOKEN_TYPE : "Bearer", clock.instant(),
                clock.instant().plus(Duration.ofHours(1)))), RefreshTiming.DEFAULTS, RetryBackoff.DEFAULTS, clock,
                "benchmark");
        this.provider.getToken();
        // followRedirects as in the preconfigured clients under Spring Boot's default settings
        this.authorizer = new TokenAuthorizer(provider, TokenDestinations.of(API, List.of()), "Authorization", "Bearer",
                true, dpop);
    }

    /** A source that issues {@link #TOKEN_VALUE}, valid for an hour, without any I/O. */
    public static TokenSource oneHourTokens(Clock clock) {
        return (previous) -> Mono.fromSupplier(() -> AccessToken.of(TOKEN_VALUE, "Bearer", clock.instant(),
                clock.instant().plus(Duration.ofHours(1))));
    }

    public CachingTokenProvider provider() {
        return provider;
    }

    public TokenWebClientFilter exchangeFilter() {
        return new TokenWebClientFilter(authorizer);
    }

    public TokenRestClientInterceptor interceptor() {
        return new TokenRestClientInterceptor(authorizer);
    }
}
