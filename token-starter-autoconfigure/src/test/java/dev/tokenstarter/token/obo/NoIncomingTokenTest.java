package dev.tokenstarter.token.obo;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

import static dev.tokenstarter.token.obo.JwtBearerClient.callWithRestClient;
import static dev.tokenstarter.token.obo.JwtBearerClient.callWithWebClient;
import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static dev.tokenstarter.token.obo.Subjects.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call made where there is no incoming token fails with a {@link TokenUnavailableException} that names the
 * client and the reason, on each path: never a token request, never a request with some other token.
 */
class NoIncomingTokenTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private final LoopbackTokenEndpoint endpoint = JwtBearerClient.endpoint(clock);

    @AfterEach
    void close() {
        endpoint.close();
    }

    private void run(Consumer<AssertableApplicationContext> test) {
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            assertThat(context).hasNotFailed();
            test.accept(context);
            assertThat(endpoint.requestCount()).as("token requests").isZero();
            assertThat(endpoint.apiCalls()).as("API calls").isZero();
        });
    }

    private static void assertNamesClientAndReason(TokenUnavailableException error, String reason) {
        assertThat(error).hasMessageContaining("No incoming token for client 'api'").hasMessageContaining(reason)
            .hasMessageContaining("never falls back to the application's own token");
    }

    @Test
    void aRestClientCallWithoutASecurityContextFailsClearly() {
        run((context) -> assertNamesClientAndReason(unavailable(() -> callWithRestClient(context, "/orders")),
                "has no authentication"));
    }

    @Test
    void aWebClientCallWithoutASecurityContextFailsClearly() {
        run((context) -> assertNamesClientAndReason(unavailable(() -> callWithWebClient(context, "/orders")),
                "has no authentication"));
    }

    @Test
    void anAuthenticationWithoutABearerTokenFailsClearlyOnBothPaths() {
        Authentication password = UsernamePasswordAuthenticationToken.authenticated("alice", "alices-password",
                AuthorityUtils.createAuthorityList("ROLE_USER"));
        run((context) -> {
            for (Runnable call : new Runnable[] { () -> callWithRestClient(context, "/orders"),
                    () -> callWithWebClient(context, "/orders") }) {
                TokenUnavailableException error = unavailable(() -> as(password, () -> {
                    call.run();
                    return null;
                }));
                assertNamesClientAndReason(error, "(UsernamePasswordAuthenticationToken) carries no bearer token");
                assertThat(error).hasMessageNotContaining("alices-password");
            }
        });
    }

    @Test
    void aThreadTheContextDoesNotReachHasNoIncomingToken() {
        Authentication alice = bearer("incoming-alice", START, START.plus(Duration.ofHours(1)));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            run((context) -> {
                CompletableFuture<String> onAnotherThread = as(alice,
                        () -> CompletableFuture.supplyAsync(() -> callWithRestClient(context, "/orders"), other));
                assertNamesClientAndReason(unavailable(onAnotherThread::join), "has no authentication");

                WebClient webClient = context.getBean("apiWebClient", WebClient.class);
                assertNamesClientAndReason(unavailable(() -> as(alice, () -> webClient.get().uri("/orders").retrieve()
                    .bodyToMono(String.class).subscribeOn(Schedulers.boundedElastic()).block())),
                        "has no authentication");
            });
        }
        finally {
            other.shutdownNow();
        }
    }
}
