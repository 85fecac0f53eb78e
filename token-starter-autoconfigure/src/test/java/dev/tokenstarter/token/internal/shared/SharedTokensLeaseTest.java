package dev.tokenstarter.token.internal.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.internal.TokenSource;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.internal.shared.SharedTokensFixture.Instance;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

import static dev.tokenstarter.token.internal.shared.SharedTokensFetchReasonTest.await;
import static dev.tokenstarter.token.internal.shared.SharedTokensFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The refresh lease against a real {@code redis-server}: shorter than the waiters' bound, renewed while its
 * fetch runs however long that takes, given back when taking it timed out; waiters wake on the publication
 * instead of polling. Each test holds or slows token requests itself; the longest waits are a lease's ttl
 * (one to two seconds).
 */
class SharedTokensLeaseTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** Waiters' bound 3 s, lease 1 s. */
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(6);

    private SharedTokensFixture fleet;

    @BeforeEach
    void setUp() {
        fleet = new SharedTokensFixture(redis.port());
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    /** Defect 5: a holder that died held the others for the lock's 16 s, past their 15 s bound; then all fetched. */
    @Test
    void aLeaseHolderKilledMidFetchHoldsTheOthersOnlyUntilItsLeaseRunsOutAndOneOfThemFetches() throws Exception {
        Instance dying = fleet.instance(WAIT_TIMEOUT);
        assertThat(dying.shared().leaseTtl()).isEqualTo(Duration.ofSeconds(1));
        List<Instance> others = List.of(fleet.instance(WAIT_TIMEOUT), fleet.instance(WAIT_TIMEOUT),
                fleet.instance(WAIT_TIMEOUT));
        fleet.endpoint.holdNext();
        Disposable killed = dying.source().fetch(null, FetchReason.DUE).subscribe();
        await(() -> fleet.endpoint.held() == 1);
        killed.dispose(); // gone mid-fetch: no renewal, no release

        long start = System.nanoTime();
        List<CompletableFuture<AccessToken>> calls = new ArrayList<>();
        for (Instance instance : others) {
            calls.add(CompletableFuture.supplyAsync(() -> instance.provider().getToken()));
        }
        List<String> tokens = new ArrayList<>();
        for (CompletableFuture<AccessToken> call : calls) {
            tokens.add(call.get(5, TimeUnit.SECONDS).value());
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(tokens).containsOnly(tokens.get(0));
        assertThat(fleet.endpoint.requests()).as("the dead holder's request and one more").isEqualTo(2);
        assertThat(waited).as("no caller waits past its bound").isLessThan(WAIT_TIMEOUT.dividedBy(2));
        assertThat(others.stream().mapToLong((instance) -> instance.status().fallbacks()).sum()).isZero();
        assertThat(fleet.endpoint.reuses()).as("refresh tokens redeemed twice").isZero();
    }

    /**
     * Defect 6: a refresh_token request followed by the fallback grant outlived a lock sized for one request,
     * and a second instance redeemed the same refresh token. Against the loopback endpoint through the real
     * token endpoint client: each answer takes 1.3 s, the refresh token is refused, the fallback grant follows.
     */
    @Test
    void aFetchOfTwoRequestsKeepsItsLeaseSoNoOtherInstanceRedeemsTheSameRefreshToken() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().rotateRefreshTokens()
            .latency(Duration.ofMillis(1300))
            .start()) {
            TokenSource client = new TokenEndpointClient(TokenEndpointConfig.of(endpoint.uri(),
                    TokenEndpointConfig.Credentials.clientCredentials("api", "secret-1234")), Clock.systemUTC(),
                    TokenFetchObserver.NONE);
            Instance holder = fleet.instance(WAIT_TIMEOUT, client);
            Instance other = fleet.instance(WAIT_TIMEOUT, client);
            AccessToken first = holder.provider().getToken();
            assertThat(first.refreshToken()).isEqualTo("refresh-token-1");
            endpoint.respondNext(400, "{\"error\":\"invalid_grant\"}"); // the refresh is refused: a second request

            long start = System.nanoTime();
            CompletableFuture<AccessToken> refresh = holder.provider().refresh();
            await(() -> endpoint.requestCount() == 2);
            Thread.sleep(1000); // the lease's first ttl has run out: only its renewal keeps it
            AccessToken taken = other.source().fetch(first, FetchReason.DUE).block(TIMEOUT);
            Duration slowest = Duration.ofNanos(System.nanoTime() - start);

            assertThat(taken.value()).isEqualTo(refresh.get(2, TimeUnit.SECONDS).value()).isEqualTo("token-2");
            assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("grant_type"))
                .containsExactly("client_credentials", "refresh_token", "client_credentials");
            assertThat(endpoint.refreshTokenReuses()).as("refresh tokens redeemed twice").isZero();
            assertThat(other.status().locksLost()).isEqualTo(1);
            assertThat(slowest).as("the other instance waited within its bound").isLessThan(Duration.ofSeconds(4));
        }
    }

    /**
     * An instance read the entry, then another stored its refresh and gave the lease back before the first
     * took it: the first redeemed the refresh token it had read, which the endpoint had rotated already
     * (the latest-token-only soak caught it: one refresh token reused, one call failed). The entry is read
     * again under the lease.
     */
    @Test
    void anInstanceThatTakesTheLeaseAfterAnotherRefreshedUsesThatTokenAndRedeemsNoRefreshTokenTwice() throws Exception {
        Instance first = fleet.instance(WAIT_TIMEOUT);
        GatedScripts gate = new GatedScripts();
        Instance late = fleet.instance(new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), WAIT_TIMEOUT),
                Clock.systemUTC(), "client-identity", false, gate.wrap(fleet.connectionFactory));
        AccessToken old = first.provider().getToken();

        CompletableFuture<AccessToken> lateFetch = late.source().fetch(old, FetchReason.DUE).toFuture();
        gate.reached().get(2, TimeUnit.SECONDS); // it has read the entry and is about to take the lease
        AccessToken refreshed = first.provider().refresh().get(2, TimeUnit.SECONDS);
        gate.open();

        assertThat(lateFetch.get(2, TimeUnit.SECONDS).value()).isEqualTo(refreshed.value());
        assertThat(fleet.endpoint.presented).containsExactly(null, "refresh-1");
        assertThat(fleet.endpoint.reuses()).as("refresh tokens redeemed twice").isZero();
    }

    @Test
    void aTokenSourceThatFailsWhileBuildingItsRequestLeavesNoLeaseBehind() {
        TokenSource failing = (previous) -> {
            throw new IllegalStateException("no request built");
        };
        Instance instance = fleet.instance(WAIT_TIMEOUT, failing);

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> instance.provider().getToken())
            .withMessage("no request built");

        await(() -> fleet.store().tryLease("probe", Duration.ofSeconds(1)).block(TIMEOUT) == 0);
        assertThat(fleet.store().releaseLease("probe").block(TIMEOUT)).isTrue();
    }

    @Test
    void aLeaseThatRanOutDuringTheFetchGivesTheFetchUpAndLeavesTheNewHoldersLeaseAlone() throws Exception {
        Instance holder = fleet.instance(WAIT_TIMEOUT);
        fleet.endpoint.holdNext();
        CompletableFuture<AccessToken> fetch = holder.source().fetch(null, FetchReason.DUE).toFuture();
        await(() -> fleet.endpoint.held() == 1);
        // its lease ran out (Redis lost it, say) and another instance took it
        fleet.store().releaseLease(holderLease()).block(TIMEOUT);
        assertThat(fleet.store().tryLease("new-holder", Duration.ofSeconds(5)).block(TIMEOUT)).isZero();

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> fetch.get(2, TimeUnit.SECONDS))
            .withCauseInstanceOf(TokenUnavailableException.class)
            .withMessageContaining("lease");
        assertThat(fleet.store().tryLease("probe", Duration.ofSeconds(1)).block(TIMEOUT)).as("the new holder's lease")
            .isPositive();
    }

    /** The owner value of the lease held now. */
    private String holderLease() {
        return new ReactiveStringRedisTemplate(fleet.connectionFactory).opsForValue()
            .get("{" + fleet.prefix + "}:lease")
            .block(TIMEOUT);
    }

    /** Defect 5: a SET NX answered after the command timeout left the lock held for its whole ttl. */
    @Test
    void aLeaseTakenByACommandThatTimedOutIsGivenBack() throws Exception {
        Instance instance = fleet.instance(Duration.ofSeconds(30)); // lease 5 s
        assertThat(instance.shared().leaseTtl()).isEqualTo(Duration.ofSeconds(5));
        // the scripts are in Redis' cache, as in a running fleet (else the late EVALSHA fails and nothing is taken,
        // and the read script, flagged read-only only once Redis knows it, would wait for the pause too, so that
        // the instance never got as far as the lease)
        fleet.store().tryLease("warm-up", Duration.ofSeconds(5)).block(TIMEOUT);
        fleet.store().releaseLease("warm-up").block(TIMEOUT);
        fleet.store().read().block(TIMEOUT);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            // writes (scripts among them) wait 800 ms, longer than the 500 ms command timeout; reads go on
            connection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(800).add("WRITE"));
            long paused = System.nanoTime();

            AccessToken token = instance.provider().getToken();

            assertThat(token).isNotNull();
            assertThat(instance.status().degraded()).isTrue();
            Thread.sleep(Math.max(0, 1100 - Duration.ofNanos(System.nanoTime() - paused).toMillis()));
            // the pause is over: the lease was taken late, then given back by the release sent after it
            Long exists = connection.sync().exists("{" + fleet.prefix + "}:lease");
            assertThat(exists).as("the lease is still held").isZero();
        }
        finally {
            client.shutdown();
        }
    }

    /** Defect 7: waiting instances polled Redis every 100 ms while also subscribed to the publication. */
    @Test
    void aWaitingInstanceReadsAgainWhenThePublicationArrivesNotEveryHundredMilliseconds() throws Exception {
        Instance holder = fleet.instance(WAIT_TIMEOUT);
        Instance waiter = fleet.instance(WAIT_TIMEOUT);
        fleet.endpoint.holdNext();
        CompletableFuture<AccessToken> held = CompletableFuture.supplyAsync(() -> holder.provider().getToken());
        await(() -> fleet.endpoint.held() == 1);

        CompletableFuture<AccessToken> waiting = CompletableFuture.supplyAsync(() -> waiter.provider().getToken());
        await(() -> waiter.status().locksLost() == 1);
        long readsBefore = waiter.status().reads();
        Thread.sleep(500);
        long readsWhileWaiting = waiter.status().reads() - readsBefore;
        fleet.endpoint.release();

        assertThat(waiting.get(2, TimeUnit.SECONDS).value()).isEqualTo(held.get(2, TimeUnit.SECONDS).value());
        assertThat(readsWhileWaiting).as("reads in 500 ms of waiting (the lease had 1 s)").isLessThanOrEqualTo(1);
        assertThat(waiter.status().reads()).isLessThanOrEqualTo(readsBefore + 2);
        assertThat(fleet.endpoint.requests()).isEqualTo(1);
    }
}
