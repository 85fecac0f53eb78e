package dev.tokenstarter.token.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.actuate.SharedTokenMetrics;
import dev.tokenstarter.token.autoconfigure.TokenClientAutoConfiguration;
import dev.tokenstarter.token.autoconfigure.TokenHealthAutoConfiguration;
import dev.tokenstarter.token.autoconfigure.TokenMetricsAutoConfiguration;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

/**
 * Several application contexts of one application (the starter, Spring Boot's Redis and HTTP client
 * auto-configuration) against one Redis and one {@link LoopbackTokenEndpoint}, with concurrent API callers in
 * each: a fleet in one JVM.
 */
public final class Fleet implements AutoCloseable {

    private final List<ConfigurableApplicationContext> instances = new CopyOnWriteArrayList<>();

    private final List<String> properties = new ArrayList<>();

    /**
     * @param redisPort the Redis every instance uses
     * @param endpoint the token endpoint and API (the clients' base URL)
     * @param properties further {@code key=value} properties of every instance
     */
    public Fleet(int redisPort, LoopbackTokenEndpoint endpoint, String... properties) {
        this(List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort), endpoint, properties);
    }

    /**
     * @param redis the {@code spring.data.redis.*} properties of the Redis every instance uses (one node, a
     * cluster)
     * @param endpoint the token endpoint and API (the clients' base URL)
     * @param properties further {@code key=value} properties of every instance
     */
    public Fleet(List<String> redis, LoopbackTokenEndpoint endpoint, String... properties) {
        this.properties.addAll(redis);
        this.properties.addAll(List.of("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=fleet",
                "api.auth.client-secret=fleet-secret-1234", "api.auth.base-url=" + endpoint.apiUri(),
                "api.auth.request.connect-timeout=500ms", "api.auth.request.read-timeout=1s",
                "api.auth.refresh.before=300ms", "api.auth.refresh.expiry-margin=100ms", "api.auth.refresh.jitter=0s",
                "api.auth.refresh.wait-timeout=4s", "api.auth.refresh.retry.initial-backoff=100ms",
                "api.auth.refresh.retry.max-backoff=500ms"));
        this.properties.addAll(List.of(properties));
    }

    /** Starts one more instance, with {@code extra} properties on top. */
    public ConfigurableApplicationContext start(String... extra) {
        List<String> all = new ArrayList<>(properties);
        all.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Instance.class)
            .web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new))
            .properties(Map.of("spring.main.banner-mode", "off"))
            .run();
        instances.add(context);
        return context;
    }

    public List<ConfigurableApplicationContext> instances() {
        return instances;
    }

    public static TokenProvider provider(ConfigurableApplicationContext context) {
        return context.getBean("apiTokenProvider", TokenProvider.class);
    }

    public static Health health(ConfigurableApplicationContext context) {
        CompositeHealthContributor contributor = context.getBean("apiAuthHealthContributor",
                CompositeHealthContributor.class);
        return ((HealthIndicator) contributor.getContributor("api")).health();
    }

    public static double meter(ConfigurableApplicationContext context, String name, String... tags) {
        MeterRegistry meters = new SimpleMeterRegistry(); // Boot's binding of MeterBinders is not in these contexts
        context.getBean(SharedTokenMetrics.class).bindTo(meters);
        var search = meters.find(name).tags(tags);
        return (search.functionCounter() != null) ? search.functionCounter().count() : search.gauge().value();
    }

    /**
     * Calls the API from {@code threads} callers per running instance (one of them through the WebClient,
     * the others through the RestClient) for {@code duration}.
     */
    public Calls call(int threads, Duration duration) throws InterruptedException {
        return call(threads, duration, Duration.ZERO);
    }

    /**
     * As {@link #call(int, Duration)}, but the callers of the n-th instance (from 0) start {@code n * stagger}
     * late, as traffic reaches instances at different times; all stop at the end of {@code duration}.
     */
    public Calls call(int threads, Duration duration, Duration stagger) throws InterruptedException {
        Calls calls = new Calls();
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        List<Thread> callers = new ArrayList<>();
        int started = 0;
        for (ConfigurableApplicationContext instance : instances) {
            if (!instance.isActive()) {
                continue;
            }
            long from = begin + stagger.toNanos() * started++;
            RestClient rest = instance.getBean("apiRestClient", RestClient.class);
            WebClient web = instance.getBean("apiWebClient", WebClient.class);
            for (int i = 0; i < threads; i++) {
                boolean reactive = i == 0;
                Thread caller = new Thread(() -> {
                    sleep(Math.max(0, Duration.ofNanos(from - System.nanoTime()).toMillis()));
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            if (reactive) {
                                web.get().uri("/orders").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
                            }
                            else {
                                rest.get().uri("/orders").retrieve().toBodilessEntity();
                            }
                            calls.ok.incrementAndGet();
                        }
                        catch (RuntimeException ex) {
                            calls.failed.incrementAndGet();
                            calls.errors.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
                        }
                        calls.slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        sleep(10);
                    }
                }, "fleet-caller");
                caller.start();
                callers.add(caller);
            }
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return calls;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    /**
     * Reactor Netty resources of one context's own: contexts in one JVM otherwise share the global event loops,
     * and closing one disposes the others'.
     */
    public static ReactorResourceFactory ownEventLoops() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setShutdownQuietPeriod(Duration.ZERO);
        return factory;
    }

    /** What the callers saw. */
    public static final class Calls {

        public final AtomicLong ok = new AtomicLong();

        public final AtomicLong failed = new AtomicLong();

        public final AtomicLong slowestNanos = new AtomicLong();

        public final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public String toString() {
            return ok + " ok, " + failed + " failed (slowest " + Duration.ofNanos(slowestNanos.get()).toMillis() + " ms)"
                    + (errors.isEmpty() ? "" : ", first error: " + errors.get(0));
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
            ImperativeHttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
            WebClientAutoConfiguration.class, RestClientAutoConfiguration.class, DataRedisAutoConfiguration.class,
            TokenClientAutoConfiguration.class, TokenHealthAutoConfiguration.class, TokenMetricsAutoConfiguration.class })
    static class Instance {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            return ownEventLoops();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
