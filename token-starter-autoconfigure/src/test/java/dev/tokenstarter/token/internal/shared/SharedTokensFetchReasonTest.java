package dev.tokenstarter.token.internal.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.shared.SharedTokensFixture.Instance;
import dev.tokenstarter.token.support.RedisServer;

import static dev.tokenstarter.token.internal.shared.SharedTokensFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider says why it fetches, and only a fetch because the token was rejected takes the fleet's one
 * refetch after a rejection; an instance denied it never hands back the token it knows is rejected. Against a
 * real {@code redis-server}, step by step (held requests, no reliance on an interleaving).
 */
class SharedTokensFetchReasonTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private SharedTokensFixture fleet;

    @BeforeEach
    void setUp() {
        fleet = new SharedTokensFixture(redis.port());
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    /** Defect 2: a refresh fired early by its jitter was taken for a refetch after a 401 and used up the fleet's. */
    @Test
    void aDueFetchOfATokenNotYetDueNeverTakesTheFleetsRefetchAfterARejection() {
        Instance instance = fleet.instance(Duration.ofSeconds(4));
        AccessToken first = instance.provider().getToken();

        AccessToken next = instance.source().fetch(first, FetchReason.DUE).block(TIMEOUT);

        assertThat(next.value()).isNotEqualTo(first.value());
        assertThat(fleet.endpoint.requests()).isEqualTo(2);
        assertThat(instance.status().rejectionRefetchesDenied()).isZero();
        assertThat(fleet.store().tryRejectionRefetch("another-instance", Duration.ofSeconds(10)).block(TIMEOUT))
            .as("the fleet's refetch after a rejection is still free").isZero();
    }

    /**
     * Defect 2 and point 6: with sharing on, invalidate() then getToken() handed the invalidated token back for
     * the whole interval. Now the instance waits for the fleet's replacement, reporting DOWN meanwhile.
     */
    @Test
    void aRejectedTokenIsNeverHandedBackWhileAnotherInstanceHoldsTheFleetsRefetch() throws Exception {
        // five Redis commands precede the denial: on a loaded CI machine one once took longer than 500 ms, sharing
        // degraded and the instance fetched on its own (what SharedTokensOutageTest covers), never denied
        fleet.commandTimeout = Duration.ofSeconds(3);
        Instance denied = fleet.instance(Duration.ofSeconds(8));
        Instance other = fleet.instance(Duration.ofSeconds(8));
        AccessToken first = denied.provider().getToken();
        assertThat(fleet.store().tryRejectionRefetch("another-instance", Duration.ofSeconds(10)).block(TIMEOUT)).isZero();

        denied.provider().invalidate(first);
        CompletableFuture<AccessToken> waiting = CompletableFuture.supplyAsync(() -> denied.provider().getToken());
        await(() -> denied.status().rejectionRefetchesDenied() == 1, Duration.ofSeconds(5),
                () -> "denied " + denied.status().rejectionRefetchesDenied() + " times; degraded: "
                        + denied.status().degradedReason() + "; fallbacks: " + denied.status().fallbacks());
        TokenHealthIndicator health = new TokenHealthIndicator(denied.provider(), Clock.systemUTC(), denied.status());
        Health whileWaiting = health.health();

        AccessToken replacement = other.source().fetch(first, FetchReason.DUE).block(TIMEOUT);

        assertThat(waiting.get(2, TimeUnit.SECONDS).value()).isEqualTo(replacement.value()).isNotEqualTo(first.value());
        assertThat(fleet.endpoint.requests()).isEqualTo(2);
        assertThat(whileWaiting.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(whileWaiting.getDetails().get("reason"))).contains("marked it rejected");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void deniedAndWithoutAPublicationItFetchesWithTheBaseGrantPastItsBound() {
        Instance denied = fleet.instance(Duration.ofSeconds(2)); // waits at most 1 s
        AccessToken first = denied.provider().getToken();
        fleet.store().tryRejectionRefetch("another-instance", Duration.ofSeconds(10)).block(TIMEOUT);

        denied.provider().invalidate(first);
        long start = System.nanoTime();
        AccessToken next = denied.provider().getToken();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(next.value()).isNotEqualTo(first.value());
        assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(2));
        assertThat(fleet.endpoint.presented).as("refresh tokens presented").containsExactly(null, null);
        assertThat(denied.status().fallbacks()).isEqualTo(1);
    }

    /** Point 1: a token the API accepted clears the fleet's limit, with one command off the caller's thread. */
    @Test
    void aTokenTheApiAcceptsAfterARejectionFreesTheFleetsRefetch() {
        Instance instance = fleet.instance(Duration.ofSeconds(4));
        AccessToken first = instance.provider().getToken();
        assertThat(instance.provider().rejected(first, 401)).isTrue();
        AccessToken second = instance.provider().getToken();
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(fleet.store().tryRejectionRefetch("probe", Duration.ofSeconds(10)).block(TIMEOUT))
            .as("taken by the refetch after the 401").isPositive();

        instance.provider().accepted(second);

        await(() -> fleet.store().tryRejectionRefetch("probe", Duration.ofSeconds(10)).block(TIMEOUT) == 0);
        assertThat(fleet.endpoint.requests()).isEqualTo(2);
    }

    /** Point 1: a rejection that arrives while a fetch is in flight is answered by that fetch. */
    @Test
    void aRejectionWhileAFetchIsInFlightIsAnsweredByThatFetchAndTakesNoRefetch() throws Exception {
        Instance instance = fleet.instance(Duration.ofSeconds(4));
        AccessToken first = instance.provider().getToken();
        fleet.endpoint.holdNext();
        CompletableFuture<AccessToken> refresh = instance.provider().refresh();
        await(() -> fleet.endpoint.held() == 1);

        assertThat(instance.provider().rejected(first, 401)).isTrue();
        CompletableFuture<AccessToken> caller = CompletableFuture.supplyAsync(() -> instance.provider().getToken());
        fleet.endpoint.release();

        assertThat(caller.get(2, TimeUnit.SECONDS).value()).isEqualTo(refresh.get(2, TimeUnit.SECONDS).value())
            .isNotEqualTo(first.value());
        assertThat(fleet.endpoint.requests()).isEqualTo(2);
        assertThat(fleet.store().tryRejectionRefetch("probe", Duration.ofSeconds(10)).block(TIMEOUT)).isZero();
    }

    /** Polls a condition for at most two seconds. */
    static void await(BooleanSupplier condition) {
        await(condition, Duration.ofSeconds(2), () -> "");
    }

    /** Polls a condition for at most {@code limit}; a failure says what {@code state} shows then. */
    static void await(BooleanSupplier condition, Duration limit, Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(() -> "condition not met within " + limit.toMillis() + " ms " + state.get())
                .isLessThan(deadline);
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
