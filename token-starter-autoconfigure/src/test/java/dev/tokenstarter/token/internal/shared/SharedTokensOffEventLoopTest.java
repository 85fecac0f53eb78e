package dev.tokenstarter.token.internal.shared;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.netty.util.concurrent.FastThreadLocalThread;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21, point 2: with sharing on, the token request was built on the Lettuce event-loop thread that
 * delivered Redis' answer, so a {@link CredentialSource} that blocks ran there, and one that blocks on Redis
 * itself deadlocked: Spring Data's shared connection, connecting on the event loop that waits for it. The source here does exactly
 * that: it reads the subject token from Redis with Spring Data's blocking template. The request must
 * succeed, and every thread the source ran on must be neither Lettuce's nor Reactor Netty's.
 */
class SharedTokensOffEventLoopTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Queue<String> sourceThreads = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD) // before the fix: a deadlock without end
    void aBlockingCredentialSourceRunsOffTheEventLoopsWithSharingOn() {
        sourceThreads.clear();
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            runner(endpoint, "off-event-loop:" + System.nanoTime()).run((context) -> {
                assertThat(context).hasNotFailed();
                StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
                template.opsForValue().set("off-event-loop:subject", "subject-from-redis");

                // blocking caller, then a reactive one after the token was dropped (a fetch from the fleet again)
                TokenProvider provider = context.getBean("apiTokenProvider", TokenProvider.class);
                assertThat(provider.getToken().value()).isNotBlank();
                provider.invalidate(provider.getToken());
                WebClient web = context.getBean("apiWebClient", WebClient.class);
                web.get().uri("/orders").retrieve().toBodilessEntity().block(Duration.ofSeconds(5));

                assertThat(endpoint.requests()).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy((request) -> assertThat(request.body()).contains("subject_token=subject-from-redis"));
                assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(1);
                System.out.println("CredentialSource threads with sharing on: " + List.copyOf(sourceThreads));
                assertThat(sourceThreads).isNotEmpty().allSatisfy(SharedTokensOffEventLoopTest::isNoEventLoop);
            });
        }
    }

    /**
     * The other path from Redis into the starter: another instance's publication. The token is read, decoded
     * and offered to the provider, whose listeners hear of it, on a worker, not on the Lettuce thread the
     * message arrived on.
     */
    @Test
    @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
    void aPublishedTokenIsAdoptedOffTheEventLoops() {
        sourceThreads.clear();
        Queue<String> listenerThreads = new ConcurrentLinkedQueue<>();
        String prefix = "off-event-loop:" + System.nanoTime();
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start()) {
            runner(endpoint, prefix).run((fetching) -> runner(endpoint, prefix).run((adopting) -> {
                fetching.getBean(StringRedisTemplate.class).opsForValue().set("off-event-loop:subject", "subject-from-redis");
                CachingTokenProvider adopter = adopting.getBean("apiTokenProvider", CachingTokenProvider.class);
                adopter.addListener(new TokenListener() {

                    @Override
                    public void onTokenFetched(AccessToken token) {
                        listenerThreads.add(thread());
                    }
                });
                awaitSubscribers("{" + prefix + "}:published", 2);
                String token = fetching.getBean("apiTokenProvider", TokenProvider.class).getToken().value();

                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (listenerThreads.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                System.out.println("Listener threads of the adopting instance: " + List.copyOf(listenerThreads));
                assertThat(adopter.cachedToken()).as("adopted from the publication").isNotNull();
                assertThat(adopter.cachedToken().value()).isEqualTo(token);
                assertThat(endpoint.requestCount()).isEqualTo(1);
                assertThat(listenerThreads).isNotEmpty().allSatisfy(SharedTokensOffEventLoopTest::isNoEventLoop);
            }));
        }
    }

    /**
     * Waits until both instances listen on the channel ({@code PUBSUB NUMSUB}, over a plain socket), so that
     * no publication is missed.
     */
    private static void awaitSubscribers(String channel, long count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write(("*3\r\n$6\r\nPUBSUB\r\n$6\r\nNUMSUB\r\n$" + channel.length() + "\r\n"
                        + channel + "\r\n").getBytes(StandardCharsets.UTF_8));
                byte[] answer = new byte[256];
                int read = socket.getInputStream().read(answer);
                Matcher subscribers = Pattern.compile(":(\\d+)\r\n").matcher(new String(answer, 0, Math.max(read, 0),
                        StandardCharsets.UTF_8));
                if (subscribers.find() && Long.parseLong(subscribers.group(1)) >= count) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + count + " subscribers on " + channel + " after 5 s");
    }

    /** The current thread's name, marked when it is a Netty event loop (Lettuce's, Reactor Netty's) or non-blocking. */
    private static String thread() {
        Thread current = Thread.currentThread();
        boolean eventLoop = current instanceof FastThreadLocalThread || Schedulers.isInNonBlockingThread();
        return current.getName() + (eventLoop ? " (event loop)" : "");
    }

    private static void isNoEventLoop(String thread) {
        assertThat(thread).doesNotContain("(event loop)").doesNotContainIgnoringCase("lettuce").doesNotStartWith("reactor-");
    }

    private ApplicationContextRunner runner(LoopbackTokenEndpoint endpoint, String keyPrefix) {
        return StarterContextRunner.create()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withBean(ReactorResourceFactory.class, Fleet::ownEventLoops)
            .withUserConfiguration(SubjectFromRedis.class)
            .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                    // a deadlock on Lettuce's thread shows as this timeout, not as a hang
                    "spring.data.redis.timeout=2s", "api.auth.token-uri=" + endpoint.uri(),
                    "api.auth.client-id=off-loop", "api.auth.client-secret=off-loop-secret-1234",
                    "api.auth.base-url=" + endpoint.apiUri(), "api.auth.grant-type=token-exchange",
                    "api.auth.token-exchange.subject-token.bean=subjectFromRedis", "api.auth.shared.enabled=true",
                    "api.auth.shared.key-prefix=" + keyPrefix,
                    "api.auth.shared.command-timeout=3s", "api.auth.refresh.wait-timeout=10s",
                    "api.auth.refresh.min-refetch-interval=0s", "api.auth.refresh.eager=false");
    }

    @Configuration(proxyBeanMethods = false)
    static class SubjectFromRedis {

        /** Reads the subject token with a blocking Redis command, recording the thread it runs on. */
        @Bean
        CredentialSource subjectFromRedis(StringRedisTemplate redis) {
            return () -> {
                sourceThreads.add(thread());
                String subject = redis.opsForValue().get("off-event-loop:subject");
                if (subject == null) {
                    throw new IllegalStateException("no subject token in Redis");
                }
                return subject;
            };
        }
    }
}
