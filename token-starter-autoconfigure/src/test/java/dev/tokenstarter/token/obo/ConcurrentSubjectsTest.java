package dev.tokenstarter.token.obo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.security.core.Authentication;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.obo.SubjectTokens;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.RecordedRequest;

import static dev.tokenstarter.token.obo.JwtBearerClient.callWithRestClient;
import static dev.tokenstarter.token.obo.JwtBearerClient.callWithWebClient;
import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 calls for 50 users from 8 threads at once, in a shuffled order, half through the RestClient and half
 * through the WebClient: every call carries the token issued for its own user's incoming token (the endpoint
 * tells which subject each token the API received was issued for), with a bound that evicts and without one.
 */
class ConcurrentSubjectsTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static final int USERS = 50;

    private static final int CALLS = 200;

    private static final int THREADS = 8;

    private static final Pattern USER_PATH = Pattern.compile("/api/orders/(\\d+)");

    private final MutableClock clock = new MutableClock(START);

    private final LoopbackTokenEndpoint endpoint = JwtBearerClient.endpoint(clock);

    private final List<Authentication> users = new ArrayList<>();

    ConcurrentSubjectsTest() {
        for (int user = 0; user < USERS; user++) {
            users.add(bearer("incoming-user-" + user, START, START.plus(Duration.ofHours(1))));
        }
    }

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void aBoundOfTenWithFiftyUsersEvictsWithoutEverSendingAnotherUsersToken() {
        JwtBearerClient.runner(endpoint, clock).withPropertyValues("api.auth.on-behalf-of.max-entries=10")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                callConcurrently(context);

                assertEveryApiCallCarriedItsOwnUsersToken();
                Cache<?, ?> subjects = subjects(context);
                subjects.cleanUp();
                assertThat(subjects.estimatedSize()).isLessThanOrEqualTo(10);
                assertThat(subjects.stats().evictionCount()).isPositive();
                assertThat(endpoint.requestCount()).as("evicted users exchange again").isGreaterThan(USERS);
            });
    }

    @Test
    void withRoomForEveryUserEachUserIsExchangedOnceHoweverManyCallsRaceForIt() {
        JwtBearerClient.runner(endpoint, clock).withPropertyValues("api.auth.on-behalf-of.max-entries=100")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                callConcurrently(context);

                assertEveryApiCallCarriedItsOwnUsersToken();
                assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("assertion"))
                    .as("one exchange per user").hasSize(USERS).doesNotHaveDuplicates();
                Cache<?, ?> subjects = subjects(context);
                subjects.cleanUp();
                assertThat(subjects.estimatedSize()).isEqualTo(USERS);
                assertThat(subjects.stats().evictionCount()).isZero();
            });
    }

    private void callConcurrently(AssertableApplicationContext context) throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            order.add(call % USERS);
        }
        Collections.shuffle(order, new Random(25));
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int thread = 0; thread < THREADS; thread++) {
                int first = thread;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int call = first; call < CALLS; call += THREADS) {
                        int user = order.get(call);
                        String path = "/orders/" + user;
                        String body = as(users.get(user), () -> ((user % 2) == 0) ? callWithRestClient(context, path)
                                : callWithWebClient(context, path));
                        assertThat(body).isEqualTo("[]");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> thread : done) {
                thread.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    private void assertEveryApiCallCarriedItsOwnUsersToken() {
        List<RecordedRequest> calls = endpoint.apiRequests();
        assertThat(calls).hasSize(CALLS);
        for (RecordedRequest call : calls) {
            Matcher path = USER_PATH.matcher(call.path());
            assertThat(path.matches()).as(call.path()).isTrue();
            String authorization = call.header("Authorization");
            assertThat(authorization).startsWith("Bearer ");
            assertThat(endpoint.subjectOf(authorization.substring("Bearer ".length())))
                .as("the user of the token of the call for user %s", path.group(1))
                .isEqualTo("incoming-user-" + path.group(1));
        }
    }

    private static Cache<?, ?> subjects(AssertableApplicationContext context) {
        TokenProvider provider = context.getBean(TokenProvider.class);
        assertThat(provider).isInstanceOf(SubjectTokens.class);
        return ((SubjectTokens) provider).cache();
    }
}
