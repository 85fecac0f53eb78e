package dev.tokenstarter.token.internal.shared;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.shared.SharedTokensFixture.Instance;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.ManualClock;

import static dev.tokenstarter.token.internal.shared.SharedTokensFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Defect 4: when Redis failed, every instance fetched on its own with the fleet's refresh token, which a
 * server with rotating single-use refresh tokens answers with {@code invalid_grant} (or by revoking the
 * family). Outside the lease only the base grant is used; with the {@code refresh_token} grant nothing is.
 */
class SharedTokensOutsideLeaseTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final RefreshTiming TIMING = new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5),
            Duration.ofSeconds(4));

    private SharedTokensFixture fleet;

    private LettuceConnectionFactory nowhere;

    @BeforeEach
    void setUp() throws IOException {
        fleet = new SharedTokensFixture(redis.port());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        nowhere = SharedTokenStoreTest.SharedRedisSupport.connect(closedPort);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
        nowhere.destroy();
    }

    @Test
    void aDegradedInstanceFetchesWithTheBaseGrantNeverWithTheFleetsRefreshToken() {
        Instance degraded = fleet.instance(TIMING, java.time.Clock.systemUTC(), "client-identity", false, nowhere);
        Instant now = Instant.now();
        AccessToken fromFleet = new AccessToken("fleet-token", "Bearer", now, now.plusSeconds(30), "fleet-refresh-token",
                Set.of(), null);

        AccessToken own = degraded.source().fetch(fromFleet, FetchReason.DUE).block(TIMEOUT);

        assertThat(own.value()).isEqualTo("token-1");
        assertThat(degraded.status().degraded()).isTrue();
        assertThat(fleet.endpoint.presented).as("refresh tokens presented").containsExactly((String) null);
    }

    @Test
    void withTheRefreshTokenGrantADegradedInstanceKeepsItsTokenUntilExpiryThenFailsAndReportsDown() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
        Instance degraded = fleet.instance(TIMING, clock, "client-identity", true, nowhere);
        // its token came through the fleet before Redis went away
        degraded.provider().offer(new AccessToken("fleet-token", "Bearer", clock.instant(),
                clock.instant().plusSeconds(60), "fleet-refresh-token", Set.of(), null));
        TokenHealthIndicator health = new TokenHealthIndicator(degraded.provider(), clock, degraded.status());

        clock.advance(Duration.ofSeconds(57)); // inside the expiry margin: a new token is needed
        assertThat(degraded.provider().getToken().value()).as("kept while it has not expired").isEqualTo("fleet-token");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        clock.advance(Duration.ofSeconds(4)); // expired
        assertThatExceptionOfType(TokenUnavailableException.class).isThrownBy(() -> degraded.provider().getToken())
            .withMessageContaining("its grant is refresh_token")
            .withMessageNotContaining("fleet-refresh-token");
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(fleet.endpoint.requests()).as("token requests").isZero();
    }
}
