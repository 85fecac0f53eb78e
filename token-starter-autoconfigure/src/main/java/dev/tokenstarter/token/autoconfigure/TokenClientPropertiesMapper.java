package dev.tokenstarter.token.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpMethod;
import org.springframework.util.StringUtils;

import dev.tokenstarter.token.CachingTokenProvider;
import dev.tokenstarter.token.RefreshTiming;
import dev.tokenstarter.token.RetryBackoff;
import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.endpoint.TokenResponseFormat;
import dev.tokenstarter.token.refresh.ExecutorRefreshScheduler;
import dev.tokenstarter.token.refresh.ScheduledTokenRefresher;
import dev.tokenstarter.token.web.BearerTokenAuthorizer;
import dev.tokenstarter.token.web.TokenScope;

/**
 * Turns one client's (validated) properties into the core objects.
 */
final class TokenClientPropertiesMapper {

    private TokenClientPropertiesMapper() {
    }

    static TokenEndpointConfig endpointConfig(TokenClientProperties properties) {
        TokenClientProperties.Request request = properties.getRequest();
        TokenClientProperties.Response response = properties.getResponse();
        TokenResponseFormat format = new TokenResponseFormat(response.getAccessToken(), emptyToNull(response.getTokenType()),
                emptyToNull(response.getExpiresIn()), emptyToNull(response.getExpiresAt()),
                emptyToNull(response.getRefreshToken()), emptyToNull(response.getScope()),
                emptyToNull(response.getRefreshIn()), emptyToNull(response.getRequiredTokenType()),
                response.getDefaultLifetime());
        return TokenEndpointConfig.builder(properties.getTokenUri())
            .grantType(properties.getGrantType())
            .clientId(properties.getClientId())
            .clientSecret(properties.getClientSecret())
            .clientAuthMethod(properties.getClientAuthMethod())
            .scopes(properties.getScope())
            .username(properties.getUsername())
            .password(properties.getPassword())
            .refreshToken(properties.getRefreshToken())
            .extraParameters(request.getExtraParameters())
            .headers(request.getHeaders())
            .method(HttpMethod.valueOf(request.getMethod().toUpperCase(Locale.ROOT)))
            .bodyFormat(request.getBodyFormat())
            .connectTimeout(request.getConnectTimeout())
            .readTimeout(request.getReadTimeout())
            .maxResponseBytes((int) request.getMaxResponseSize().toBytes())
            .responseFormat(format)
            .build();
    }

    static CachingTokenProvider tokenProvider(String clientName, TokenClientProperties properties, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport) {
        TokenEndpointClient endpoint = new TokenEndpointClient(endpointConfig(properties), clock, observer, transport);
        TokenClientProperties.Refresh refresh = properties.getRefresh();
        RefreshTiming timing = new RefreshTiming(refresh.getBefore(), refresh.getExpiryMargin(), refresh.getWaitTimeout());
        RetryBackoff backoff = new RetryBackoff(refresh.getRetry().getInitialBackoff(), refresh.getRetry().getMaxBackoff());
        return new CachingTokenProvider(endpoint, timing, backoff, clock,
                (clock instanceof Ticker ticker) ? ticker : Ticker.SYSTEM, refresh.getMinRefetchInterval(),
                "client '" + clientName + "' (" + Secrets.redact(properties.getTokenUri()) + ")");
    }

    static ScheduledTokenRefresher refresher(String clientName, CachingTokenProvider provider,
            TokenClientProperties properties) {
        return new ScheduledTokenRefresher(provider.refreshable(), new ExecutorRefreshScheduler("token-refresh-" + clientName),
                properties.getRefresh().getJitter(), properties.getRefresh().isEager(),
                properties.getRefresh().isFailFast());
    }

    /**
     * @param otherBaseUrls the base URLs of the other clients: paths under them are theirs, not this client's
     */
    static BearerTokenAuthorizer authorizer(TokenProvider provider, TokenClientProperties properties,
            List<URI> otherBaseUrls, boolean followRedirects) {
        return new BearerTokenAuthorizer(provider, TokenScope.of(properties.getBaseUrl(), properties.getAllowedHosts(),
                properties.isAllowInsecureHttp()).excluding(otherBaseUrls),
                properties.getHeader().getName(), properties.getHeader().getScheme(), followRedirects);
    }

    private static String emptyToNull(String value) {
        return StringUtils.hasText(value) ? value : null;
    }
}
