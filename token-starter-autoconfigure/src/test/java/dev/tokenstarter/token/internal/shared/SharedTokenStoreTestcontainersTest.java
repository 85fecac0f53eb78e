package dev.tokenstarter.token.internal.shared;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fencing check against Redis in a container, where a Docker engine exists; skipped (with the reason)
 * where none does. {@link SharedTokenStoreTest} runs the same against a local {@code redis-server}.
 */
@Testcontainers(disabledWithoutDocker = true)
class SharedTokenStoreTestcontainersTest {

    @Container
    static final GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);

    @Test
    void anOlderTokenWrittenLateDoesNotReplaceANewerOne() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.getHost(), redis.getMappedPort(6379)));
        factory.afterPropertiesSet();
        factory.start();
        try {
            SharedTokenStore store = new SharedTokenStore(factory, "container-test");
            Duration timeout = Duration.ofSeconds(5);
            Duration lifetime = Duration.ofSeconds(60);
            assertThat(store.store("id", "newer", "data", Duration.ofSeconds(30), lifetime).block(timeout)).isTrue();
            assertThat(store.store("id", "older", "data", Duration.ofSeconds(20), lifetime).block(timeout)).isFalse();
            assertThat(store.read().block(timeout).fingerprint()).isEqualTo("newer");
        }
        finally {
            factory.destroy();
        }
    }
}
