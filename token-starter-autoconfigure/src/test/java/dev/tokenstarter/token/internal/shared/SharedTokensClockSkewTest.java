package dev.tokenstarter.token.internal.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.shared.SharedTokensFixture.Instance;
import dev.tokenstarter.token.support.RedisServer;

import static dev.tokenstarter.token.internal.shared.SharedTokensFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 3: the stored expiry was the fetching instance's wall clock, and the fence compared such instants.
 * One instance's clock runs 90 s ahead; the endpoint issues 20-second tokens (each instance computes the
 * expiry from {@code expires_in} on its own clock, as a real client does). Against a real {@code redis-server}.
 */
class SharedTokensClockSkewTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration LIFETIME = Duration.ofSeconds(20);

    private SharedTokensFixture fleet;

    @BeforeEach
    void setUp() {
        fleet = new SharedTokensFixture(redis.port());
        fleet.endpoint.lifetime = LIFETIME;
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    @Test
    void noInstanceHandsOutATokenPastTheEndpointsExpiryWhenAnotherInstancesClockIsAhead() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(90));
        Instance fast = fleet.instance(Duration.ofSeconds(4), ahead, "client-identity", false);
        Instance right = fleet.instance(Duration.ofSeconds(4));

        AccessToken fetchedAhead = fast.provider().getToken();
        AccessToken read = right.provider().getToken();
        Instant endpointExpiryAtTheLatest = Instant.now().plus(LIFETIME);

        assertThat(read.value()).as("taken from the fleet").isEqualTo(fetchedAhead.value());
        assertThat(fleet.endpoint.requests()).isEqualTo(1);
        assertThat(fetchedAhead.expiresAt()).isAfter(endpointExpiryAtTheLatest.plusSeconds(60));
        assertThat(read.expiresAt()).as("the reader's expiry: its own now plus the entry's remaining lifetime")
            .isBeforeOrEqualTo(endpointExpiryAtTheLatest)
            .isAfter(endpointExpiryAtTheLatest.minusSeconds(2));
    }

    @Test
    void theFenceComparesRemainingLifetimesSoAFresherTokenReplacesOneStoredByAFastClock() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(90));
        Instance fast = fleet.instance(Duration.ofSeconds(4), ahead, "client-identity", false);
        Instance right = fleet.instance(Duration.ofSeconds(4));
        AccessToken first = fast.provider().getToken();

        AccessToken fresher = right.source().fetch(first, FetchReason.DUE).block(TIMEOUT);
        Instance third = fleet.instance(Duration.ofSeconds(4));

        assertThat(fresher.value()).isNotEqualTo(first.value());
        assertThat(third.provider().getToken().value()).as("the entry holds the fresher token").isEqualTo(fresher.value());
        assertThat(fleet.endpoint.requests()).isEqualTo(2);
    }
}
