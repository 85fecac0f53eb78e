package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.springframework.http.HttpMethod;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.internal.dpop.DPoPKey;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.endpoint.ClientAssertion;
import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.internal.endpoint.DiscoveredTokenSource;
import dev.tokenstarter.token.internal.endpoint.IssuerDiscovery;
import dev.tokenstarter.token.internal.endpoint.TokenExchange;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.endpoint.TokenResponseFormat;
import dev.tokenstarter.token.internal.refresh.ExecutorRefreshScheduler;
import dev.tokenstarter.token.internal.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.internal.web.ClientSelection;
import dev.tokenstarter.token.internal.web.TokenAuthorizer;
import dev.tokenstarter.token.internal.web.TokenDestinations;

/**
 * Turns one client's (validated) properties into the core objects.
 */
final class TokenClientAssembler {

    private TokenClientAssembler() {
    }

    /**
     * @param resolved the client assertion and grant credentials made from the properties
     */
    static TokenEndpointConfig endpointConfig(TokenClientProperties properties, URI tokenUri,
            ResolvedCredentials resolved) {
        RequestProperties request = properties.getRequest();
        ResponseProperties response = properties.getResponse();
        TokenResponseFormat format = new TokenResponseFormat(response.getAccessToken(), emptyToNull(response.getTokenType()),
                emptyToNull(response.getExpiresIn()), emptyToNull(response.getExpiresAt()),
                emptyToNull(response.getRefreshToken()), emptyToNull(response.getScope()),
                emptyToNull(response.getRefreshIn()), emptyToNull(response.getRequiredTokenType()),
                response.getDefaultLifetime());
        TokenEndpointConfig.Credentials credentials = new TokenEndpointConfig.Credentials(properties.getGrantType(),
                properties.getClientId(), properties.getClientSecret(), properties.getClientAuthMethod(),
                properties.getScope(), properties.getUsername(), properties.getPassword(), properties.getRefreshToken(),
                resolved.clientAssertion(), resolved.tokenExchange(), resolved.assertion());
        TokenEndpointConfig.RequestShape shape = new TokenEndpointConfig.RequestShape(
                HttpMethod.valueOf(request.getMethod().toUpperCase(Locale.ROOT)), request.getBodyFormat(),
                request.getHeaders(), request.getExtraParameters(), request.getRefreshTokenPresentation());
        return new TokenEndpointConfig(tokenUri, credentials, shape, limits(properties), format);
    }

    /** The client's DPoP proofs (one key for its token requests and API calls), or {@code null} when off. */
    static @Nullable DPoPProofs dpop(TokenClientProperties properties, Clock clock) {
        DpopProperties dpop = properties.getDpop();
        if (!dpop.isEnabled()) {
            return null;
        }
        DPoPKey key = StringUtils.hasText(dpop.getKeyLocation()) ? DPoPKey.load(dpop.getKeyLocation(), dpop.getAlgorithm())
                : DPoPKey.generate(dpop.getAlgorithm());
        return new DPoPProofs(key, clock);
    }

    static CachingTokenProvider tokenProvider(String clientName, TokenClientProperties properties, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport) {
        return tokenProvider(clientName, properties, clock, observer, transport, ResolvedCredentials.NONE,
                UnaryOperator.identity(), null);
    }

    /**
     * @param resolved the client assertion and grant credentials made from the properties
     * @param share puts another source in front of the token endpoint (shared tokens), or returns it as is
     * @param dpop the client's DPoP proofs for its token requests, or {@code null}
     */
    static CachingTokenProvider tokenProvider(String clientName, TokenClientProperties properties, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport, ResolvedCredentials resolved,
            UnaryOperator<TokenSource> share, @Nullable DPoPProofs dpop) {
        URI issuer = properties.getIssuerUri();
        TokenSource endpoint = (issuer != null)
                ? new DiscoveredTokenSource(new IssuerDiscovery(issuer, limits(properties), transport,
                        properties.isAllowInsecureHttp()),
                        (tokenUri) -> new TokenEndpointClient(endpointConfig(properties, tokenUri, resolved), clock,
                                observer, transport, dpop))
                : new TokenEndpointClient(endpointConfig(properties, Objects.requireNonNull(properties.getTokenUri(),
                        "token-uri (TokenClientPropertiesValidator requires it without issuer-uri)"), resolved), clock,
                        observer, transport, dpop);
        RetryBackoff backoff = new RetryBackoff(properties.getRefresh().getRetry().getInitialBackoff(),
                properties.getRefresh().getRetry().getMaxBackoff());
        return new CachingTokenProvider(share.apply(endpoint), timing(properties), backoff, clock,
                ticker(clock), properties.getRefresh().getMinRefetchInterval(),
                "client '" + clientName + "' (" + ((issuer != null) ? "issuer " + Secrets.redact(issuer)
                        : Secrets.redact(properties.getTokenUri())) + ")");
    }

    static RefreshTiming timing(TokenClientProperties properties) {
        RefreshProperties refresh = properties.getRefresh();
        return new RefreshTiming(refresh.getBefore(), refresh.getExpiryMargin(), refresh.getWaitTimeout());
    }

    static ScheduledTokenRefresher refresher(String clientName, CachingTokenProvider provider,
            TokenClientProperties properties) {
        return new ScheduledTokenRefresher(provider, new ExecutorRefreshScheduler("token-refresh-" + clientName),
                properties.getRefresh().getJitter(), properties.getRefresh().isEager(),
                properties.getRefresh().isFailFast());
    }

    /**
     * @param otherBaseUrls the base URLs of the other clients: paths under them are theirs, not this client's
     * @param selection the client's name among the configured ones
     */
    static TokenAuthorizer authorizer(TokenProvider provider, TokenClientProperties properties,
            List<URI> otherBaseUrls, boolean followRedirects, @Nullable DPoPProofs dpop, ClientSelection selection) {
        return new TokenAuthorizer(provider, TokenDestinations.of(properties.getBaseUrl(), properties.getAllowedHosts(),
                properties.isAllowInsecureHttp()).excluding(otherBaseUrls),
                properties.getHeader().getName(), properties.getHeader().getScheme(), followRedirects, dpop, selection);
    }

    static Ticker ticker(Clock clock) {
        return (clock instanceof Ticker ticker) ? ticker : Ticker.SYSTEM;
    }

    /**
     * What the properties name but the beans make: the client assertion's signer, the token exchange's
     * sources, the JWT bearer grant's assertion source.
     */
    record ResolvedCredentials(@Nullable ClientAssertion clientAssertion, @Nullable TokenExchange tokenExchange,
            @Nullable CredentialSource assertion) {

        static final ResolvedCredentials NONE = new ResolvedCredentials(null, null, null);
    }

    static TokenEndpointConfig.Limits limits(TokenClientProperties properties) {
        RequestProperties request = properties.getRequest();
        return new TokenEndpointConfig.Limits(request.getConnectTimeout(), request.getReadTimeout(),
                (int) request.getMaxResponseSize().toBytes());
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return StringUtils.hasText(value) ? value : null;
    }
}
