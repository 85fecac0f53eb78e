package dev.tokenstarter.e2e.soak;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.e2e.support.StarterContextRunner;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak: 2-second tokens for {@code soak.seconds} (default 30) seconds, 8 concurrent callers (half WebClient,
 * half RestClient) calling a strict API as fast as it answers. No request may carry an expired or unknown
 * token, no call may fail, and the heap must not grow.
 */
class ShortLivedTokenSoakTest {

    private static final int CALLERS = 8;

    @Test
    void shortLivedTokensUnderConcurrentLoad() throws Exception {
        long seconds = Long.getLong("soak.seconds", 30);
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.builder().lifetime(Duration.ofSeconds(2))
            .threads(16).start()) {
            StarterContextRunner.create()
                .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=soak",
                        "api.auth.client-secret=soak-secret-123", "api.auth.base-url=" + endpoint.apiUri())
                .run((context) -> {
                    WebClient webClient = context.getBean("apiWebClient", WebClient.class);
                    RestClient restClient = context.getBean("apiRestClient", RestClient.class);
                    AtomicInteger callerErrors = new AtomicInteger();
                    AtomicInteger calls = new AtomicInteger();
                    long warmEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                    List<Thread> threads = new ArrayList<>();
                    for (int i = 0; i < CALLERS; i++) {
                        boolean reactive = (i % 2 == 0);
                        Thread thread = new Thread(() -> {
                            while (System.nanoTime() < end) {
                                try {
                                    if (reactive) {
                                        webClient.get().uri("/orders").retrieve().toBodilessEntity().block();
                                    }
                                    else {
                                        restClient.get().uri("/orders").retrieve().toBodilessEntity();
                                    }
                                    calls.incrementAndGet();
                                }
                                catch (RuntimeException ex) {
                                    callerErrors.incrementAndGet();
                                }
                            }
                        }, "soak-caller-" + i);
                        threads.add(thread);
                        thread.start();
                    }
                    while (System.nanoTime() < warmEnd) {
                        Thread.onSpinWait();
                    }
                    long heapAfterWarmup = usedHeapAfterGc();
                    for (Thread thread : threads) {
                        thread.join(Duration.ofSeconds(seconds + 10).toMillis());
                    }
                    long heapAtEnd = usedHeapAfterGc();
                    TokenProvider provider = context.getBean(TokenProvider.class);

                    System.out.printf("soak: %d s, %d callers, %d calls (%d at the API), %d tokens issued, "
                            + "%d expired on arrival, %d unknown, %d caller errors, %d 401-refreshes, heap %d -> %d KiB%n",
                            seconds, CALLERS, calls.get(), endpoint.apiCalls(), endpoint.issuedCount(),
                            endpoint.apiCalls(TokenStatus.EXPIRED), endpoint.apiCalls(TokenStatus.UNKNOWN),
                            callerErrors.get(), provider.state().rejections(), heapAfterWarmup / 1024, heapAtEnd / 1024);
                    assertThat(endpoint.apiCalls(TokenStatus.EXPIRED)).isZero();
                    assertThat(endpoint.apiCalls(TokenStatus.UNKNOWN)).isZero();
                    assertThat(callerErrors).hasValue(0);
                    assertThat(provider.state().rejections()).isZero();
                    assertThat(calls.get()).isGreaterThan(1000);
                    // one token per lifetime minus the refresh window, not one per call
                    assertThat(endpoint.issuedCount()).isLessThan((int) (seconds * 2));
                    assertThat(heapAtEnd - heapAfterWarmup).as("heap growth").isLessThan(32L * 1024 * 1024);
                });
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
