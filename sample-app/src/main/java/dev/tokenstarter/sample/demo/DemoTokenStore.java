package dev.tokenstarter.sample.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Whether {@code token} was issued here and has not expired. */
    public boolean isValid(String token) {
        Instant expiry = expiries.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    public long lifetimeSeconds() {
        return properties.tokenLifetime().toSeconds();
    }
}
