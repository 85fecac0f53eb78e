package dev.tokenstarter.token.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.support.VirtualThreads;
import dev.tokenstarter.token.support.VirtualThreads.DumpedThread;
import dev.tokenstarter.token.support.VirtualThreads.PinningRecording;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static dev.tokenstarter.token.support.TokenEndpointMock.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;

/**
 * A thousand virtual threads call while the token has just expired, in an application with
 * {@code spring.threads.virtual.enabled}: they share one token request, and none holds a monitor or pins its
 * carrier thread while it waits for it. The token endpoint holds its answer until every caller is waiting.
 * <p>
 * A monitor held while waiting pins the carrier on JDK 21 to 23, which the JFR recording shows; from JDK 24 on
 * it no longer pins, so the thread dump taken while the callers wait is checked for monitors too (JDK 25
 * dumps name them).
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or newer")
class VirtualThreadCallersTest {

    private static final int CALLERS = 1_000;

    private static final Duration BOUND = Duration.ofSeconds(10);



    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;



    @BeforeEach
    void reset() {
        // the answer names the token the request carried
        servers.api().when(orders().withHeader(HttpHeaders.AUTHORIZATION, "Bearer token-one-abcdef"))
            .respond(json(200, "\"one\""));
        servers.api().when(orders().withHeader(HttpHeaders.AUTHORIZATION, "Bearer token-two-abcdef"))
            .respond(json(200, "\"two\""));
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withBean("apiAuthClock", Clock.class, () -> clock)
            .withPropertyValues("spring.threads.virtual.enabled=true", "api.auth.token-uri=" + servers.endpoint().uri(),
                    "api.auth.client-id=orders-service", "api.auth.client-secret=secret-value-123",
                    "api.auth.base-url=http://localhost:" + servers.api().getPort(), "api.auth.refresh.eager=false");
    }

    private static HttpRequest orders() {
        return request().withPath("/orders");
    }

    @Test
    void aThousandVirtualThreadsCallingGetTokenAtExpiryShareOneTokenRequestWithoutPinning() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            TokenProvider provider = context.getBean(TokenProvider.class);

            List<String> tokens = callAtExpiry(() -> provider.getToken().value());

            assertThat(tokens).hasSize(CALLERS).containsOnly("token-two-abcdef");
        });
    }

    @Test
    void aThousandVirtualThreadsCallingTheRestClientAtExpiryShareOneTokenRequestWithoutPinning() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            RestClient api = context.getBean("apiRestClient", RestClient.class);

            List<String> bodies = callAtExpiry(() -> api.get().uri("/orders").retrieve().body(String.class));

            assertThat(bodies).hasSize(CALLERS).containsOnly("\"two\"");
        });
    }

    /**
     * Gets a token with one call, lets it expire, and makes {@link #CALLERS} virtual threads {@code call} at
     * once; the token endpoint answers only when all of them wait (or after {@link #BOUND}). Asserts that they
     * caused one token request, waited without a monitor and pinned no carrier thread.
     * @return what each call returned, or why it failed
     */
    private List<String> callAtExpiry(Callable<String> call) throws Exception {
        servers.endpoint().issueOnce("token-one-abcdef", 3600);
        ExecutorService threads = VirtualThreads.newPerTaskExecutor();
        CountDownLatch answer = new CountDownLatch(1);
        try {
            // the warm-up also loads the classes, which the callers would otherwise wait for one another to do
            threads.submit(call).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(servers.endpoint().requestCount()).isEqualTo(1);
            servers.tokens().when(TokenEndpointMock.tokenRequest()).respond((request) -> {
                answer.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                return json(200, tokenJson("token-two-abcdef", 3600));
            });
            clock.advance(Duration.ofSeconds(3600));

            Set<Long> callers = ConcurrentHashMap.newKeySet();
            CountDownLatch ready = new CountDownLatch(CALLERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            try (PinningRecording pinning = VirtualThreads.recordPinning()) {
                for (int i = 0; i < CALLERS; i++) {
                    results.add(threads.submit(() -> {
                        callers.add(Thread.currentThread().getId());
                        ready.countDown();
                        go.await();
                        return call.call();
                    }));
                }
                assertThat(ready.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("callers started").isTrue();
                go.countDown();
                List<DumpedThread> whileHeld = dumpUntilAllWait(callers, System.nanoTime() + BOUND.toNanos());
                answer.countDown();
                List<String> values = new ArrayList<>();
                for (Future<String> result : results) {
                    values.add(outcome(result));
                }
                List<String> pinned = pinning.stop(dir.resolve("pinning.jfr"));

                List<DumpedThread> withMonitor = whileHeld.stream()
                    .filter(DumpedThread::involvesMonitor)
                    .collect(Collectors.toList());
                long waiting = whileHeld.stream().filter(DumpedThread::isWaiting).count();
                SoftAssertions.assertSoftly((softly) -> {
                    softly.assertThat(servers.endpoint().requestCount()).as("token requests").isEqualTo(2);
                    softly.assertThat(pinned.size())
                        .as("carrier threads pinned by virtual threads, the first: %s", first(pinned))
                        .isZero();
                    softly.assertThat(withMonitor.size())
                        .as("callers holding or waiting for a monitor while the token request was held back, the "
                                + "first: %s", first(withMonitor))
                        .isZero();
                    softly.assertThat(waiting).as("callers waiting while the token request was held back")
                        .isEqualTo(CALLERS);
                });
                return values;
            }
        }
        finally {
            answer.countDown();
            threads.shutdownNow();
        }
    }

    private static String outcome(Future<String> result) throws InterruptedException {
        try {
            return result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            return "failed: " + ex;
        }
    }

    private static String first(List<?> items) {
        return items.stream().limit(3).map(Object::toString).collect(Collectors.joining("\n", "\n", ""));
    }

    /**
     * Dumps the threads until every caller waits, as it should while the token request is held back, or
     * until {@code deadline} ({@link System#nanoTime()}).
     * @return the callers in the last dump
     */
    private List<DumpedThread> dumpUntilAllWait(Set<Long> callers, long deadline) throws Exception {
        for (int dump = 1;; dump++) {
            Map<Long, DumpedThread> threads = VirtualThreads.dumpThreads(dir.resolve("threads-" + dump + ".json"));
            List<DumpedThread> found = callers.stream()
                .map(threads::get)
                .filter(Objects::nonNull)
                .collect(Collectors.toList());
            if (found.stream().filter(DumpedThread::isWaiting).count() == callers.size()
                    || System.nanoTime() - deadline > 0) {
                return found;
            }
            Thread.sleep(20);
        }
    }
}
