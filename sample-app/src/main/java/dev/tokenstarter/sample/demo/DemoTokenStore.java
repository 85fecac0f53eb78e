package dev.tokenstarter.sample.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Issues opaque random tokens and remembers when each expires, for the demo token endpoint and API.
 */
@Component
@Profile("demo")
public class DemoTokenStore {

    private final SecureRandom random = new SecureRandom();

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    /** Refresh tokens issued and not redeemed yet: each is good for one refresh. */
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();

    private final AtomicLong refreshes = new AtomicLong();

    private final AtomicLong fullGrants = new AtomicLong();

    private final DemoProperties properties;

    private final Clock clock = Clock.systemUTC();

    public DemoTokenStore(DemoProperties properties) {
        this.properties = properties;
    }

    /** A new token valid for the configured lifetime. */
    public String issue() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        expiries.put(token, now.plus(properties.tokenLifetime()));
        expiries.values().removeIf(now::isAfter);
        return token;
    }

    /** A new refresh token, good for one refresh. */
    public String issueRefreshToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String refreshToken = "rt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        refreshTokens.add(refreshToken);
        return refreshToken;
    }

    /** Uses up {@code refreshToken}: whether it was issued here and not used before. */
    public boolean redeem(String refreshToken) {
        boolean redeemed = refreshTokens.remove(refreshToken);
        if (redeemed) {
            refreshes.incrementAndGet();
        }
        return redeemed;
    }

    void countFullGrant() {
        fullGrants.incrementAndGet();
    }

    /** Tokens issued for a refresh token. */
    public long refreshes() {
        return refreshes.get();
    }

    /** Tokens issued for the client credentials (the first token of each client). */
    public long fullGrants() {
        return fullGrants.get();
    }

    /** Whether {@code token} was issued here and has not expired. */
    public boolean isValid(String token) {
        Instant expiry = expiries.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    public long lifetimeSeconds() {
        return properties.tokenLifetime().toSeconds();
    }
}
