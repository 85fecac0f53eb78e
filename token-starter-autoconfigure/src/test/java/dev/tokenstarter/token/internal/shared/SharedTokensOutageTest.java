package dev.tokenstarter.token.internal.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.tokenstarter.token.internal.actuate.SharedTokenMetrics;
import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.LoopbackTokenEndpointBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis trouble never fails a call: Redis stopped mid-run (instances fall back and report degraded, then
 * rejoin when it is back), a lease holder closed mid-fetch (another instance refreshes after the lease's ttl),
 * a wrong encryption key. Real time, 2-second tokens, a few seconds each.
 */
class SharedTokensOutageTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** A failed outage test must not leave Redis down for the next test. */
    @AfterEach
    void redisIsUp() throws Exception {
        redis.start();
    }

    /** Two-second tokens; with {@code revokeEarlier} only the latest one is valid. */
    private static LoopbackTokenEndpoint endpoint(boolean revokeEarlier) {
        LoopbackTokenEndpointBuilder builder = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(2));
        return (revokeEarlier ? builder.revokeEarlierTokens() : builder).start();
    }

    @Test
    void redisStoppedMidRunFailsNoCallAndSharingResumesWhenItIsBack() throws Exception {
        try (LoopbackTokenEndpoint endpoint = endpoint(false);
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=outage:" + System.nanoTime(), "api.auth.shared.command-timeout=200ms")) {
            fleet.start();
            fleet.start();
            Fleet.Calls before = fleet.call(2, Duration.ofSeconds(2));

            redis.stop();
            long stoppedAt = System.nanoTime();
            Fleet.Calls during = fleet.call(2, Duration.ofSeconds(4));
            List<String> healthDuring = new ArrayList<>();
            for (ConfigurableApplicationContext instance : fleet.instances()) {
                healthDuring.add(String.valueOf(Fleet.health(instance).getDetails().get("shared")));
                assertThat(Fleet.meter(instance, SharedTokenMetrics.FALLBACKS, "client", "api")).isPositive();
                assertThat(Fleet.meter(instance, SharedTokenMetrics.DEGRADED, "client", "api")).isEqualTo(1.0);
                assertThat(Fleet.health(instance).getStatus()).isEqualTo(Status.UP);
            }
            int requestsDuring = endpoint.requestCount();

            redis.start();
            long restartedAt = System.nanoTime();
            long recoveredAt = 0;
            Fleet.Calls after = new Fleet.Calls();
            while (recoveredAt == 0 && System.nanoTime() - restartedAt < Duration.ofSeconds(20).toNanos()) {
                Fleet.Calls step = fleet.call(1, Duration.ofMillis(250));
                after.ok.addAndGet(step.ok.get());
                after.failed.addAndGet(step.failed.get());
                if (fleet.instances().stream().allMatch((i) -> "active".equals(Fleet.health(i).getDetails().get("shared")))) {
                    recoveredAt = System.nanoTime();
                }
            }
            // back to one token for both: one fetches, the other takes it from Redis
            Fleet.Calls shared = fleet.call(2, Duration.ofSeconds(3));
            String first = Fleet.provider(fleet.instances().get(0)).state().token().value();
            String second = Fleet.provider(fleet.instances().get(1)).state().token().value();
            System.out.printf("redis outage: calls before %s; during 4 s without Redis %s, health shared=%s, %d token "
                    + "requests so far; rejoined %d ms after restart; after %s, then %s%n", before, during, healthDuring,
                    requestsDuring, Duration.ofNanos(recoveredAt - restartedAt).toMillis(), after, shared);
            assertThat(before.failed.get() + during.failed.get() + after.failed.get() + shared.failed.get()).isZero();
            assertThat(during.ok.get()).isGreaterThan(100);
            assertThat(healthDuring).containsOnly("degraded");
            assertThat(recoveredAt).isPositive();
            assertThat(first).isEqualTo(second);
            assertThat(stoppedAt).isPositive();
        }
    }

    @Test
    void aLeaseHolderClosedMidFetchHoldsNobodyBeyondTheLeasesTtl() throws Exception {
        try (LoopbackTokenEndpoint endpoint = endpoint(true);
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=holder:" + System.nanoTime(), "api.auth.request.read-timeout=3s",
                        "api.auth.refresh.wait-timeout=10s")) {
            endpoint.holdNextRequest(); // answered only when the endpoint closes
            ConfigurableApplicationContext holder = fleet.start(); // its eager fetch takes the lease and hangs
            long leaseTaken = System.nanoTime();
            Thread.sleep(300);
            ConfigurableApplicationContext other = fleet.start();
            Duration ttl = other.getBean("apiSharedTokens", SharedTokens.class).leaseTtl();
            holder.close(); // mid-fetch: it renews the lease no more, the lease stays until its ttl

            long slowest = slowestOfEightCallers(other);
            long tokenAfter = System.nanoTime() - leaseTaken;
            Fleet.Calls calls = fleet.call(2, Duration.ofSeconds(1));
            System.out.printf("lease holder closed mid-fetch: lease ttl %d ms, the other instance had a token %d ms after "
                    + "the lease was taken, slowest caller waited %d ms (wait-timeout 10000 ms); "
                    + "then %s%n", ttl.toMillis(), Duration.ofNanos(tokenAfter).toMillis(),
                    Duration.ofNanos(slowest).toMillis(), calls);
            assertThat(Duration.ofNanos(tokenAfter)).isLessThan(ttl.plusSeconds(2));
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(10));
            assertThat(calls.failed.get()).isZero();
        }
    }

    @Test
    void aLeaseHolderThatDiedWithoutReleasingHoldsNobodyBeyondTheLeasesTtl() throws Exception {
        String prefix = "dead-holder:" + System.nanoTime();
        try (LoopbackTokenEndpoint endpoint = endpoint(true);
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=" + prefix, "api.auth.refresh.eager=false",
                        "api.auth.refresh.wait-timeout=8s")) {
            ConfigurableApplicationContext instance = fleet.start();
            Duration ttl = instance.getBean("apiSharedTokens", SharedTokens.class).leaseTtl();
            // a holder that took the lease and was killed: nobody will release it
            var connection = SharedTokenStoreTest.SharedRedisSupport.connect(redis.port());
            try {
                new org.springframework.data.redis.core.ReactiveStringRedisTemplate(connection).opsForValue()
                    .set("{" + prefix + "}:lease", "killed-instance:1", ttl).block(Duration.ofSeconds(5));
            }
            finally {
                connection.destroy();
            }
            long leaseTaken = System.nanoTime();
            long slowest = slowestOfEightCallers(instance);
            long tokenAfter = System.nanoTime() - leaseTaken;
            System.out.printf("dead lease holder: lease ttl %d ms, the instance had a token %d ms after the lease was taken, "
                    + "slowest caller waited %d ms (wait-timeout 8000 ms), %d token request(s)%n", ttl.toMillis(),
                    Duration.ofNanos(tokenAfter).toMillis(), Duration.ofNanos(slowest).toMillis(), endpoint.requestCount());
            assertThat(Duration.ofNanos(tokenAfter)).isGreaterThanOrEqualTo(ttl.minusMillis(300))
                .isLessThan(ttl.plusSeconds(1));
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(8));
            assertThat(endpoint.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aWrongEncryptionKeyIsDetectedAndTheInstanceFetchesItsOwnToken() throws Exception {
        try (LoopbackTokenEndpoint endpoint = endpoint(false);
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=keys:" + System.nanoTime())) {
            ConfigurableApplicationContext right = fleet.start("api.auth.shared.encryption-key=" + SharedTokenStoreTest.key(1));
            Fleet.provider(right).getToken();
            ConfigurableApplicationContext wrong = fleet.start("api.auth.shared.encryption-key=" + SharedTokenStoreTest.key(2));
            Fleet.Calls calls = fleet.call(2, Duration.ofSeconds(1));
            var details = Fleet.health(wrong).getDetails();
            System.out.printf("wrong key: %s, health %s%n", calls, details);
            assertThat(calls.failed.get()).isZero();
            assertThat(details.get("shared")).isEqualTo("degraded");
            assertThat(String.valueOf(details.get("sharedDegradedReason"))).contains("cannot be decrypted");
            assertThat(details.get("tokenFrom")).isEqualTo("this instance");
            assertThat(Fleet.provider(wrong).state().token().value())
                .isNotEqualTo(Fleet.provider(right).state().token().value());
        }
    }

    /** Eight callers of {@code instance}'s provider at once; the nanoseconds the slowest waited for its token. */
    private static long slowestOfEightCallers(ConfigurableApplicationContext instance) throws Exception {
        List<CompletableFuture<Long>> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                Fleet.provider(instance).getToken();
                return System.nanoTime() - start;
            }));
        }
        long slowest = 0;
        for (CompletableFuture<Long> wait : waits) {
            slowest = Math.max(slowest, wait.get());
        }
        return slowest;
    }
}
