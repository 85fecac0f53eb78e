package dev.tokenstarter.token.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.model.Delay;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.FailureKind;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The caching provider against a real HTTP token endpoint (in-process MockServer), with a hand-moved clock.
 */
class CachingTokenProviderTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private CachingTokenProvider provider(RetryBackoff backoff) {
        TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri())
            .clientId("client")
            .clientSecret("top-secret-value")
            .build();
        return new CachingTokenProvider(new TokenEndpointClient(config, clock, TokenFetchObserver.NONE),
                RefreshTiming.DEFAULTS, backoff, clock, "test client");
    }

    @Test
    void firstCallFetchesAndLaterCallsReuseTheToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);

        AccessToken first = provider.getToken();
        clock.advance(Duration.ofMinutes(30));
        for (int i = 0; i < 20; i++) {
            assertThat(provider.getToken()).isSameAs(first);
            assertThat(provider.token().block()).isSameAs(first);
        }

        assertThat(first.value()).isEqualTo("token-one-abcdef");
        assertThat(first.expiresAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(30)).plusSeconds(3600));
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void insideTheRefreshWindowTheOldTokenIsReturnedAndOneBackgroundRefreshRuns() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        AccessToken first = provider.getToken();
        endpoint.server().when(TokenEndpointMock.tokenRequest())
            .respond(json(200, tokenJson("token-two-abcdef", 3600)).withDelay(Delay.milliseconds(300)));

        clock.advance(Duration.ofSeconds(3600 - 30));
        for (int i = 0; i < 10; i++) {
            assertThat(provider.getToken()).isSameAs(first);
            assertThat(provider.token().block()).isSameAs(first);
        }

        await().atMost(Duration.ofSeconds(2)).until(() -> provider.state().refreshCount() == 2);
        assertThat(provider.getToken().value()).isEqualTo("token-two-abcdef");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void pastTheExpiryMarginCallersWaitForTheNewToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        provider.getToken();
        endpoint.issueOnce("token-two-abcdef", 3600);

        clock.advance(Duration.ofSeconds(3600 - 2));

        assertThat(provider.token().block().value()).isEqualTo("token-two-abcdef");
        assertThat(provider.getToken().value()).isEqualTo("token-two-abcdef");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void aShortTokenWithTheDefaultSkewIsNotFetchedOnEveryCall() {
        endpoint.issueOnce("token-short-abcdef", 30);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);

        for (int second = 0; second < 14; second++) {
            provider.getToken();
            provider.token().block();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void aFailedFetchIsNotReplayedToLaterCallers() {
        endpoint.respondOnce(json(500, "{}"));
        endpoint.issueOnce("token-after-failure", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);

        assertThatThrownBy(provider::getToken).isInstanceOf(TokenFetchException.class)
            .satisfies((ex) -> assertThat(((TokenFetchException) ex).kind()).isEqualTo(FailureKind.SERVER_ERROR));
        assertThat(provider.state().consecutiveFailures()).isEqualTo(1);

        assertThat(provider.getToken().value()).isEqualTo("token-after-failure");
        assertThat(provider.state().consecutiveFailures()).isZero();
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void duringTheBackoffCallersFailFastWithoutCallingTheEndpoint() {
        endpoint.respondOnce(json(503, "{}"));
        endpoint.issueOnce("token-after-backoff", 3600);
        CachingTokenProvider provider = provider(new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0));

        assertThatThrownBy(provider::getToken).isInstanceOf(TokenFetchException.class);
        assertThatThrownBy(provider::getToken).isInstanceOf(TokenUnavailableException.class)
            .hasMessageContaining("next attempt in 1000 ms")
            .hasMessageContaining("HTTP 503");
        assertThat(endpoint.requestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(provider.getToken().value()).isEqualTo("token-after-backoff");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void fiveHundredConcurrentCallersAtExpiryCauseExactlyOneRequest() throws Exception {
        endpoint.issueOnce("token-one-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        provider.getToken();
        endpoint.server().when(TokenEndpointMock.tokenRequest())
            .respond(json(200, tokenJson("token-two-abcdef", 3600)).withDelay(Delay.milliseconds(500)));
        clock.advance(Duration.ofSeconds(3600));

        int callers = 500;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            boolean reactive = (i % 2 == 0);
            results.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return reactive ? provider.token().block().value() : provider.getToken().value();
            }));
        }
        ready.await(10, TimeUnit.SECONDS);
        go.countDown();
        Set<String> values = new java.util.HashSet<>();
        for (Future<String> result : results) {
            values.add(result.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(values).containsExactly("token-two-abcdef");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void invalidateDropsOnlyTheCurrentToken() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        AccessToken first = provider.getToken();

        provider.invalidate(first);
        AccessToken second = provider.getToken();
        provider.invalidate(first);

        assertThat(second.value()).isEqualTo("token-two-abcdef");
        assertThat(provider.getToken()).isSameAs(second);
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void aResubscribedMonoSeesTheStateOfItsSubscription() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        endpoint.issueOnce("token-two-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        reactor.core.publisher.Mono<AccessToken> mono = provider.token();

        assertThat(mono.block().value()).isEqualTo("token-one-abcdef");
        clock.advance(Duration.ofSeconds(3600));
        assertThat(mono.block().value()).isEqualTo("token-two-abcdef");
    }

    @Test
    void stateAndToStringNeverShowTheToken() {
        endpoint.issueOnce("token-secret-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        provider.getToken();

        assertThat(provider.toString()).doesNotContain("token-secret-abcdef").contains("toke…");
        assertThat(provider.state().toString()).doesNotContain("token-secret-abcdef");
    }

    @Test
    void aWallClockSteppedBackDoesNotStretchTheBackoff() {
        endpoint.respondOnce(json(503, "{}"));
        endpoint.issueOnce("token-after-backoff", 3600);
        CachingTokenProvider provider = provider(new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 1.0));
        assertThatThrownBy(provider::getToken).isInstanceOf(TokenFetchException.class);

        clock.set(clock.instant().minus(Duration.ofMinutes(10))); // the system time is stepped back
        clock.advance(Duration.ofSeconds(1)); // one second passes

        assertThat(provider.backoffRemaining()).isZero();
        assertThat(provider.getToken().value()).isEqualTo("token-after-backoff");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    /**
     * A refresh planned for one token must not force a fetch for a token that replaced it meanwhile: the fleet
     * soak on JDK 25 saw a refresher decide on the old token while another instance's token was being adopted,
     * and the forced refresh then fetched again for the fleet (9 token requests where 8 are allowed).
     */
    @Test
    void aRefreshPlannedForATokenThatWasReplacedMeanwhileFetchesNothing() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TokenSource source = (previous) -> reactor.core.publisher.Mono.fromSupplier(() -> AccessToken.of(
                "fetched-" + calls.incrementAndGet(), "Bearer", clock.instant(), clock.instant().plusSeconds(3600)));
        CachingTokenProvider provider = new CachingTokenProvider(source, RefreshTiming.DEFAULTS, RetryBackoff.NONE, clock,
                "replaced meanwhile");
        AccessToken planned = provider.getToken();
        clock.advance(Duration.ofSeconds(1));
        AccessToken offered = AccessToken.of("from-another-instance", "Bearer", clock.instant(),
                clock.instant().plusSeconds(3600));
        assertThat(provider.offer(offered)).isTrue();

        AccessToken afterRefresh = provider.refresh(planned).join();

        assertThat(afterRefresh.value()).isEqualTo("from-another-instance");
        assertThat(calls).as("token requests").hasValue(1);
        assertThat(provider.refresh(offered).join().value()).as("planned for the current token: forced")
            .isEqualTo("fetched-2");
    }

    @Test
    void aTokenSourceThatNeverAnswersGivesUpItsSlotAfterTheWaitTimeout() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TokenSource source = (previous) -> (calls.incrementAndGet() == 1) ? reactor.core.publisher.Mono.never()
                : reactor.core.publisher.Mono.just(AccessToken.of("token-after-hang", "Bearer", clock.instant(),
                        clock.instant().plusSeconds(3600)));
        RefreshTiming timing = new RefreshTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30));
        CachingTokenProvider provider = new CachingTokenProvider(source, timing, RetryBackoff.NONE, clock, "hanging source");

        java.util.concurrent.CompletableFuture<AccessToken> stuck = provider.refresh();
        clock.advance(Duration.ofSeconds(29));
        assertThat(provider.refresh()).as("still within the deadline: joined").isSameAs(stuck);

        clock.advance(Duration.ofSeconds(2));
        java.util.concurrent.CompletableFuture<AccessToken> next = provider.refresh();

        assertThat(stuck).isCompletedExceptionally();
        assertThatThrownBy(stuck::join).hasCauseInstanceOf(TokenUnavailableException.class)
            .hasMessageContaining("did not finish within 30000 ms");
        assertThat(next.join().value()).isEqualTo("token-after-hang");
        assertThat(calls).hasValue(2);
    }

    @Test
    void anApiRejectingFreshTokensCostsOneTokenRequestPerInterval() {
        endpoint.server().when(TokenEndpointMock.tokenRequest()).respond(json(200, tokenJson("token-wrong-audience", 3600)));
        TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri()).clientId("client").clientSecret("top-secret-value").build();
        CachingTokenProvider provider = new CachingTokenProvider(new TokenEndpointClient(config, clock, TokenFetchObserver.NONE),
                RefreshTiming.DEFAULTS, RetryBackoff.NONE, clock, clock, Duration.ofSeconds(10), "test client");

        AccessToken first = provider.getToken();
        assertThat(provider.rejected(first, 401)).as("the first rejection drops the token").isTrue();
        assertThat(provider.state().tokenRejected()).isTrue();
        AccessToken second = provider.getToken();
        assertThat(provider.rejected(second, 401)).as("a fresh token rejected again within the interval is kept").isFalse();
        for (int i = 0; i < 50; i++) {
            assertThat(provider.rejected(provider.getToken(), 401)).isFalse();
        }
        assertThat(endpoint.requestCount()).isEqualTo(2);
        assertThat(provider.state().rejectionStreak()).isEqualTo(2);
        assertThat(provider.state().rejections()).isEqualTo(2);
        assertThat(provider.state().rejectionsWithoutRefetch()).isEqualTo(51);

        clock.advance(Duration.ofSeconds(10));
        assertThat(provider.rejected(provider.getToken(), 401)).as("the interval has passed").isTrue();
        provider.accepted(provider.getToken());
        assertThat(endpoint.requestCount()).isEqualTo(3);
        assertThat(provider.state().rejectionStreak()).isZero();
        assertThat(provider.state().tokenRejected()).isFalse();

        // once a token was accepted, a rejection (a revocation, say) is refetched at once again
        assertThat(provider.rejected(provider.getToken(), 401)).isTrue();
        provider.getToken();
        assertThat(endpoint.requestCount()).isEqualTo(4);
    }

    @Test
    void anInvalidatedTokenShowsInTheState() {
        endpoint.issueOnce("token-one-abcdef", 3600);
        CachingTokenProvider provider = provider(RetryBackoff.NONE);
        AccessToken token = provider.getToken();

        provider.invalidate(token);

        assertThat(provider.state().tokenRejected()).isTrue();
        assertThat(provider.state().hasValidToken(clock.instant())).isFalse();
    }
}
