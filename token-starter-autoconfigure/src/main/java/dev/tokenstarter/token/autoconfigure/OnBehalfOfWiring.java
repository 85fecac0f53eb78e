package dev.tokenstarter.token.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

import org.springframework.beans.factory.ListableBeanFactory;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.RetryBackoff;
import dev.tokenstarter.token.internal.dpop.DPoPProofs;
import dev.tokenstarter.token.internal.endpoint.ClientAssertion;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointTransport;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.obo.IncomingToken;
import dev.tokenstarter.token.internal.obo.RelayedTokens;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

/**
 * Makes the provider of an on-behalf-of client ({@code on-behalf-of.mode} EXCHANGE or RELAY): no scheduled
 * refresher, no shared tokens; for EXCHANGE, each subject's provider has the client's grant with the incoming
 * token as its subject.
 */
final class OnBehalfOfWiring {

    private OnBehalfOfWiring() {
    }

    static TokenProvider tokenProvider(TokenClientsRegistrar.Client client, ListableBeanFactory beanFactory, Clock clock,
            TokenFetchObserver observer, TokenEndpointTransport transport, @org.jspecify.annotations.Nullable DPoPProofs dpop) {
        TokenClientProperties properties = client.properties();
        if (properties.getOnBehalfOf().getMode() == OnBehalfOfProperties.Mode.RELAY) {
            return new RelayedTokens(client.name(), clock);
        }
        URI tokenUri = Objects.requireNonNull(properties.getTokenUri(), "token-uri (OnBehalfOfValidation requires it)");
        ClientAssertion assertion = ClientAssertionFactory.create(beanFactory, client, clock);
        RetryBackoff backoff = new RetryBackoff(properties.getRefresh().getRetry().getInitialBackoff(),
                properties.getRefresh().getRetry().getMaxBackoff());
        Clock subjectClock = clock;
        Function<TokenEndpointConfig, TokenEndpointClient> endpoints = TokenEndpointClient.overOneConnector(
                TokenClientAssembler.limits(properties), clock, observer, transport, dpop);
        return new SubjectTokens(client.name(), properties.getOnBehalfOf().getMaxEntries(),
                properties.getRefresh().getExpiryMargin(), clock, (subject) -> {
                    CredentialSource subjectToken = CredentialSource.of(subject.value());
                    boolean jwtBearer = properties.getGrantType() == GrantType.JWT_BEARER;
                    TokenClientAssembler.ResolvedCredentials resolved = new TokenClientAssembler.ResolvedCredentials(
                            assertion, jwtBearer ? null : GrantCredentialsFactory.tokenExchange(beanFactory, client,
                                    subjectToken), jwtBearer ? subjectToken : null);
                    return endpoints.apply(TokenClientAssembler.endpointConfig(properties, tokenUri, resolved));
                }, (subject, source) -> new CachingTokenProvider(source, TokenClientAssembler.timing(properties), backoff,
                        subjectClock, TokenClientAssembler.ticker(subjectClock),
                        properties.getRefresh().getMinRefetchInterval(), description(client.name(), tokenUri, subject)));
    }

    private static String description(String client, URI tokenUri, IncomingToken subject) {
        return "client '" + client + "' (" + dev.tokenstarter.token.Secrets.redact(tokenUri) + ") on behalf of " + subject;
    }
}
