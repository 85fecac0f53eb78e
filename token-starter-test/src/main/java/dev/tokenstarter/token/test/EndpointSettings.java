package dev.tokenstarter.token.test;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link LoopbackTokenEndpointBuilder} collects, with the defaults of everything left unset; read once,
 * when an endpoint starts.
 */
final class EndpointSettings {

    Duration lifetime = Duration.ofHours(1);

    Duration latency = Duration.ZERO;

    Duration slowDelay = Duration.ofSeconds(2);

    Clock clock = Clock.systemUTC();

    String tokenPrefix = "token";

    boolean revokeEarlierTokens;

    boolean apiRejectsEveryToken;

    boolean rotateRefreshTokens;

    boolean refreshByBearerHeader;

    /** Whether only the jwt-bearer and token-exchange grants get tokens, each issued for its subject. */
    boolean subjectGrants;

    /** Form parameters every token request must carry, by name. */
    Map<String, String> requiredParameters = new LinkedHashMap<>();

    boolean recordApiRequests;

    /** How many requests are answered at the same time, or 0 for as many as arrive. */
    int threads;
}
