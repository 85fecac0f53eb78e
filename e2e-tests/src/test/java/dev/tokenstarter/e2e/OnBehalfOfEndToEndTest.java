package dev.tokenstarter.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.tokenstarter.token.internal.actuate.OnBehalfOfMetrics;
import dev.tokenstarter.token.internal.actuate.TokenHealthIndicator;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25 against Spring Authorization Server: resource servers (Spring MVC and WebFlux, JWTs checked
 * with the server's keys) receive calls carrying the tokens of 50 different subjects (registered clients, whose
 * {@code sub} is their client id) and call a downstream API through the starter with token exchange on behalf of
 * each: through the RestClient, the WebClient (blocking in MVC, reactive in WebFlux) and an
 * {@code @HttpExchange} client. The downstream API records the {@code sub} and token id of every call.
 */
class OnBehalfOfEndToEndTest {

    private static final int AUTH_PORT = freePort();

    private static final int SUBJECTS = 50;

    private static final String SAS = "spring.security.oauth2.authorizationserver.client.";

    /** Switched off in the resource servers: they are not authorization servers. */
    private static final String NOT_AN_AUTHORIZATION_SERVER = "spring.autoconfigure.exclude="
            + "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration,"
            + "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration";

    private static ConfigurableApplicationContext authorizationServer;

    private static ConfigurableApplicationContext mvc;

    private static ConfigurableApplicationContext webflux;

    /** The properties of the resource servers. */
    private static String[] resourceServer;

    /** Each subject's own token, as its caller sends it to the resource servers. */
    private static final Map<String, String> subjectTokens = new HashMap<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        List<String> server = new ArrayList<>(List.of("spring.config.name=e2e-authorization-server",
                "server.port=" + AUTH_PORT, SAS + "gateway.registration.client-id=orders-gateway",
                SAS + "gateway.registration.client-secret={noop}orders-gateway-secret-123",
                SAS + "gateway.registration.client-authentication-methods=client_secret_basic",
                SAS + "gateway.registration.authorization-grant-types=urn:ietf:params:oauth:grant-type:token-exchange",
                SAS + "gateway.registration.scopes=orders.read"));
        for (int i = 0; i < SUBJECTS; i++) {
            String client = SAS + "subject" + i + ".registration.";
            server.addAll(List.of(client + "client-id=user-" + i, client + "client-secret={noop}user-secret-" + i,
                    client + "client-authentication-methods=client_secret_basic",
                    client + "authorization-grant-types=client_credentials", client + "scopes=orders.read"));
        }
        authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
            .properties(server.toArray(String[]::new))
            .run();
        for (int i = 0; i < SUBJECTS; i++) {
            subjectTokens.put("user-" + i, clientCredentialsToken("user-" + i, "user-secret-" + i));
        }
        resourceServer = new String[] { NOT_AN_AUTHORIZATION_SERVER, "spring.main.banner-mode=off",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://localhost:" + AUTH_PORT + "/oauth2/jwks",
                "api.auth.clients.downstream.token-uri=http://localhost:" + AUTH_PORT + "/oauth2/token",
                "api.auth.clients.downstream.client-id=orders-gateway",
                "api.auth.clients.downstream.client-secret=orders-gateway-secret-123",
                "api.auth.clients.downstream.grant-type=token-exchange",
                "api.auth.clients.downstream.scope=orders.read",
                "api.auth.clients.downstream.on-behalf-of.mode=exchange",
                "api.auth.clients.downstream.base-url=http://localhost:" + AUTH_PORT + "/api",
                "api.auth.clients.bounded.token-uri=http://localhost:" + AUTH_PORT + "/oauth2/token",
                "api.auth.clients.bounded.client-id=orders-gateway",
                "api.auth.clients.bounded.client-secret=orders-gateway-secret-123",
                "api.auth.clients.bounded.grant-type=token-exchange", "api.auth.clients.bounded.scope=orders.read",
                "api.auth.clients.bounded.on-behalf-of.mode=exchange",
                "api.auth.clients.bounded.on-behalf-of.max-entries=10",
                "api.auth.clients.bounded.base-url=http://localhost:" + AUTH_PORT + "/api/bounded" };
        mvc = new SpringApplicationBuilder(MvcService.class).web(WebApplicationType.SERVLET)
            .properties(resourceServer)
            .properties("server.port=0")
            .run();
        webflux = new SpringApplicationBuilder(WebFluxService.class).web(WebApplicationType.REACTIVE)
            .properties(resourceServer)
            .properties("server.port=0")
            .run();
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { webflux, mvc,
                authorizationServer }) {
            if (context != null) {
                context.close();
            }
        }
    }

    @BeforeEach
    void forget() {
        AuthorizationServerApplication.CALLERS.clear();
    }

    @Test
    void eachPathCallsTheDownstreamApiWithTheTokenExchangedForItsOwnCaller() throws Exception {
        for (String path : List.of("/rest", "/web", "/exchange")) {
            for (String subject : List.of("user-1", "user-2")) {
                assertThat(call(mvc, path, subject)).as("MVC " + path + " for " + subject).isEqualTo(subject);
            }
        }
        for (String path : List.of("/web", "/exchange")) {
            for (String subject : List.of("user-1", "user-2")) {
                assertThat(call(webflux, path, subject)).as("WebFlux " + path + " for " + subject).isEqualTo(subject);
            }
        }
        // the downstream API saw the subjects' own (exchanged) tokens, never the callers' tokens themselves
        assertThat(AuthorizationServerApplication.CALLERS).hasSize(10)
            .allSatisfy((call) -> assertThat(call).matches("user-[12] .+"));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or newer")
    void anMvcServiceOnVirtualThreadsCallsOnBehalfOfEachCaller() throws Exception {
        ConfigurableApplicationContext virtual = new SpringApplicationBuilder(MvcService.class)
            .web(WebApplicationType.SERVLET)
            .properties(resourceServer)
            .properties("server.port=0", "spring.threads.virtual.enabled=true")
            .run();
        try {
            for (String path : List.of("/rest", "/web", "/exchange")) {
                for (String subject : List.of("user-3", "user-4")) {
                    assertThat(call(virtual, path + "?thread", subject)).as(path + " for " + subject)
                        .isEqualTo(subject + " on a virtual thread");
                }
            }
        }
        finally {
            virtual.close();
        }
    }

    @Test
    void twoHundredConcurrentRequestsOfFiftySubjectsEachCarryTheirOwnSubjectsTokenOneExchangeEach() throws Exception {
        SubjectTokens tokens = mvc.getBean("downstreamTokenProvider", SubjectTokens.class);
        tokens.cache().invalidateAll();
        long before = tokens.exchanged();
        Map<String, String> answers = concurrently(mvc, List.of("/rest", "/web", "/exchange"), 200);
        answers.forEach((request, answer) -> assertThat(answer).as(request).isEqualTo(request.split(" ")[0]));
        assertThat(tokens.exchanged() - before).as("one exchange per subject").isEqualTo(SUBJECTS);
        Map<String, Set<String>> tokenIds = new HashMap<>();
        AuthorizationServerApplication.CALLERS.forEach((call) -> tokenIds
            .computeIfAbsent(call.split(" ")[0], (subject) -> new HashSet<>()).add(call.split(" ")[1]));
        assertThat(tokenIds).hasSize(SUBJECTS).allSatisfy((subject, ids) -> assertThat(ids).as(subject).hasSize(1));
        // health reports the last exchange, metrics the cache and the exchanges
        Health health = new TokenHealthIndicator(tokens, Clock.systemUTC()).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("onBehalfOf", "exchange").containsEntry("subjects", (long) SUBJECTS)
            .containsKey("lastExchange");
        MeterRegistry meters = new SimpleMeterRegistry();
        new OnBehalfOfMetrics(Map.of("downstream", tokens)).bindTo(meters);
        assertThat(meters.get(OnBehalfOfMetrics.ENTRIES).gauge().value()).isEqualTo(SUBJECTS);
        assertThat(meters.get(OnBehalfOfMetrics.LOOKUPS).tag("result", "miss").functionCounter().count())
            .isGreaterThanOrEqualTo(SUBJECTS);
        assertThat(meters.get(OnBehalfOfMetrics.LOOKUPS).tag("result", "hit").functionCounter().count())
            .isGreaterThanOrEqualTo(200 - SUBJECTS);
        assertThat(meters.get(OnBehalfOfMetrics.EXCHANGES).tag("outcome", "success").functionCounter().count())
            .isGreaterThanOrEqualTo(SUBJECTS);
        assertThat(meters.get(OnBehalfOfMetrics.EXCHANGES).tag("outcome", "failure").functionCounter().count()).isZero();
    }

    @Test
    void aBoundOfTenWithFiftySubjectsEvictsWithoutEverSendingAWrongToken() throws Exception {
        Map<String, String> answers = concurrently(mvc, List.of("/bounded"), 200);
        answers.forEach((request, answer) -> assertThat(answer).as(request).isEqualTo(request.split(" ")[0]));
        SubjectTokens tokens = mvc.getBean("boundedTokenProvider", SubjectTokens.class);
        tokens.cache().cleanUp();
        assertThat(tokens.cache().estimatedSize()).isLessThanOrEqualTo(10);
        assertThat(tokens.cache().stats().evictionCount()).isPositive();
    }

    /** {@code count} requests, subjects and paths interleaved, all started at once; answers by "subject path#n". */
    private Map<String, String> concurrently(ConfigurableApplicationContext service, List<String> paths, int count)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Map<String, CompletableFuture<String>> calls = new HashMap<>();
            for (int n = 0; n < count; n++) {
                String subject = "user-" + (n % SUBJECTS);
                String path = paths.get(n % paths.size());
                calls.put(subject + " " + path + "#" + n, CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return call(service, path, subject);
                    }
                    catch (Exception ex) {
                        return ex.toString();
                    }
                }, callers));
            }
            go.countDown();
            Map<String, String> answers = new HashMap<>();
            for (Map.Entry<String, CompletableFuture<String>> call : calls.entrySet()) {
                answers.put(call.getKey(), call.getValue().get());
            }
            return answers;
        }
        finally {
            callers.shutdownNow();
        }
    }

    private String call(ConfigurableApplicationContext service, String path, String subject) throws Exception {
        int port = Integer.parseInt(service.getEnvironment().getRequiredProperty("local.server.port"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + subjectTokens.get(subject))
            .timeout(Duration.ofSeconds(20))
            .build(), HttpResponse.BodyHandlers.ofString());
        return (response.statusCode() == 200) ? response.body() : response.statusCode() + " " + response.body();
    }

    private static String clientCredentialsToken(String clientId, String secret) {
        return AuthorizationServerApplication.clientCredentialsToken(AUTH_PORT, clientId, secret);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Reactor Netty resources of this context's own (contexts in one JVM otherwise share the global loops). */
    static ReactorResourceFactory ownEventLoops() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setShutdownQuietPeriod(Duration.ZERO);
        return factory;
    }

    /** The downstream API as an HTTP service group named like the client, so it gets the client's token. */
    interface Downstream {

        @GetExchange("/whoami")
        String whoami();
    }

    /** A Spring MVC resource server calling the downstream API on behalf of its callers. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportHttpServices(group = "downstream", types = Downstream.class)
    static class MvcService {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            return ownEventLoops();
        }

        @RestController
        static class Calls {

            private final RestClient rest;

            private final WebClient web;

            private final RestClient bounded;

            private final Downstream downstream;

            Calls(@Qualifier("downstreamRestClient") RestClient rest, @Qualifier("downstreamWebClient") WebClient web,
                    @Qualifier("boundedRestClient") RestClient bounded, Downstream downstream) {
                this.rest = rest;
                this.web = web;
                this.bounded = bounded;
                this.downstream = downstream;
            }

            @GetMapping("/rest")
            String rest(@RequestParam(required = false) String thread) {
                return withThread(rest.get().uri("/whoami").retrieve().body(String.class), thread);
            }

            @GetMapping("/web")
            String web(@RequestParam(required = false) String thread) {
                return withThread(web.get().uri("/whoami").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(10)), thread);
            }

            @GetMapping("/exchange")
            String exchange(@RequestParam(required = false) String thread) {
                return withThread(downstream.whoami(), thread);
            }

            /** With {@code ?thread}, the answer also says whether the request ran on a virtual thread. */
            private static String withThread(String answer, String thread) {
                if (thread == null) {
                    return answer;
                }
                try { // Thread.isVirtual() is JDK 21 API; this module compiles for 17
                    boolean virtual = (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
                    return answer + (virtual ? " on a virtual thread" : " on a platform thread");
                }
                catch (ReflectiveOperationException ex) {
                    return answer + " on a platform thread";
                }
            }

            @GetMapping("/bounded")
            String bounded() {
                return bounded.get().uri("/whoami").retrieve().body(String.class);
            }
        }
    }

    /** The downstream API as a reactive HTTP service, on the client's WebClient. */
    interface ReactiveDownstream {

        @GetExchange("/whoami")
        Mono<String> whoami();
    }

    /** A WebFlux resource server calling the downstream API on behalf of its callers, never blocking. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ImportHttpServices(group = "downstream", types = ReactiveDownstream.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
    static class WebFluxService {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            return ownEventLoops();
        }

        @RestController
        static class Calls {

            private final WebClient web;

            private final ReactiveDownstream downstream;

            Calls(@Qualifier("downstreamWebClient") WebClient web, ReactiveDownstream downstream) {
                this.web = web;
                this.downstream = downstream;
            }

            @GetMapping("/web")
            Mono<String> web() {
                return web.get().uri("/whoami").retrieve().bodyToMono(String.class);
            }

            @GetMapping("/exchange")
            Mono<String> exchange() {
                return downstream.whoami();
            }
        }
    }
}
