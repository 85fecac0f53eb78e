package dev.tokenstarter.token.internal.obo;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.internal.TokenFeedback;

/**
 * The tokens of an on-behalf-of client with mode RELAY: the incoming request's bearer token itself, sent
 * unchanged (as a Bearer token) to this client's destinations only; the adapters' destination check and
 * redirect policy apply as to any token. Nothing is fetched or cached; a 401 is the caller's answer (there
 * is no other token to retry with).
 */
public final class RelayedTokens implements PerCallerTokens, TokenFeedback {

    /** The nominal lifetime of a relayed token whose expiry its authentication does not tell. */
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(5);

    private final IncomingTokens incoming;

    private final Clock clock;

    /**
     * @param client the client name, for messages
     * @param clock the clock expiry is judged by
     */
    public RelayedTokens(String client, Clock clock) {
        this.incoming = new IncomingTokens(client, clock, Duration.ZERO);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Mono<AccessToken> token() {
        return incoming.reactive().map((token) -> relayed(incoming.requireUnexpired(token)));
    }

    @Override
    public AccessToken getToken() {
        return relayed(incoming.requireUnexpired(incoming.current()));
    }

    private AccessToken relayed(IncomingToken token) {
        Instant now = clock.instant();
        Instant expiresAt = token.expiresAt();
        return AccessToken.of(token.value(), "Bearer", now, (expiresAt != null) ? expiresAt : now.plus(UNKNOWN_LIFETIME));
    }

    @Override
    public boolean rejected(AccessToken token, int status) {
        return false;
    }

    @Override
    public void accepted(AccessToken token) {
    }

    @Override
    public void invalidate(@Nullable AccessToken rejected) {
    }

    /** Nothing to report: the tokens are the callers'. */
    @Override
    public TokenState state() {
        return TokenState.INITIAL;
    }

    @Override
    public String mode() {
        return "relay";
    }

    @Override
    public boolean relayed() {
        return true;
    }

    @Override
    public long subjects() {
        return 0;
    }

    @Override
    public String toString() {
        return "RelayedTokens";
    }
}
