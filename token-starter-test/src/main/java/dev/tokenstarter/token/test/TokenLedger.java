package dev.tokenstarter.token.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The tokens an endpoint issued, numbered in order, the subject each was issued for, and how each stands by the
 * endpoint's clock: valid, expired or revoked.
 */
final class TokenLedger {

    private final Clock clock;

    private final String tokenPrefix;

    private final boolean revokeEarlierTokens;

    private final AtomicLong sequence = new AtomicLong();

    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();

    private final AtomicReference<@Nullable Issued> latest = new AtomicReference<>();

    /** Tokens with a lower sequence number are revoked. */
    private final AtomicLong revokedBelow = new AtomicLong();

    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    private final EndpointCounts counts;

    TokenLedger(Clock clock, String tokenPrefix, boolean revokeEarlierTokens, EndpointCounts counts) {
        this.clock = clock;
        this.tokenPrefix = tokenPrefix;
        this.revokeEarlierTokens = revokeEarlierTokens;
        this.counts = counts;
    }

    /**
     * Issues a token valid for {@code lifetime} from now.
     * @param token the token to issue, or {@code null} for the next numbered one
     * @param subject the subject it is issued for, if the grant names one
     * @return the token issued
     */
    String issue(@Nullable String token, Duration lifetime, @Nullable String subject) {
        long number = sequence.incrementAndGet();
        Issued issued = new Issued((token != null) ? token : tokenPrefix + "-" + number, number,
                clock.instant().plus(lifetime), subject);
        tokens.put(issued.token(), issued);
        latest.accumulateAndGet(issued, (a, b) -> (a == null || b.sequence() > a.sequence()) ? b : a);
        if (revokeEarlierTokens) {
            revokedBelow.accumulateAndGet(number, Math::max);
        }
        counts.issued();
        return issued.token();
    }

    TokenStatus status(@Nullable String token) {
        Issued issued = (token != null) ? tokens.get(token) : null;
        if (issued == null) {
            return TokenStatus.UNKNOWN;
        }
        if (issued.sequence() < revokedBelow.get() || revoked.contains(issued.token())) {
            return TokenStatus.REVOKED;
        }
        return clock.instant().isBefore(issued.expiresAt()) ? TokenStatus.VALID : TokenStatus.EXPIRED;
    }

    /** The subject a token was issued for, or {@code null} for an unknown token or one issued for none. */
    @Nullable String subjectOf(String token) {
        Issued issued = tokens.get(token);
        return (issued != null) ? issued.subject() : null;
    }

    @Nullable String latestToken() {
        Issued issued = latest.get();
        return (issued != null) ? issued.token() : null;
    }

    void revoke(String token) {
        revoked.add(token);
    }

    void revokeAll() {
        revokedBelow.accumulateAndGet(sequence.get() + 1, Math::max);
    }

    private record Issued(String token, long sequence, Instant expiresAt, @Nullable String subject) {
    }
}
