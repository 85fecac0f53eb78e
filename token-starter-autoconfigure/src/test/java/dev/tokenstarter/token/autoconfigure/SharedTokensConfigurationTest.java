package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;

import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shared.enabled: true} without what it needs stops startup with a message saying what to add.
 */
class SharedTokensConfigurationTest {

    private static final String[] CLIENT = { "api.auth.token-uri=http://127.0.0.1:9/token", "api.auth.client-id=c",
            "api.auth.client-secret=secret-1234", "api.auth.base-url=http://127.0.0.1:9", "api.auth.refresh.eager=false",
            "api.auth.shared.enabled=true" };

    @Test
    void withoutARedisConnectionFactoryStartupFailsSayingWhatToAdd() {
        StarterContextRunner.create().withPropertyValues(CLIENT).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context.getStartupFailure()).getDescription())
                .contains("api.auth.shared.enabled", "no RedisConnectionFactory bean");
            assertThat(analysis(context.getStartupFailure()).getAction()).contains("spring-boot-starter-data-redis");
        });
    }

    @Test
    void withoutSpringDataRedisStartupFailsSayingWhatToAdd() {
        StarterContextRunner.create()
            .withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .withPropertyValues(CLIENT)
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = analysis(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Spring Data Redis is not on the class path");
                assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
            });
    }

    @Test
    void anEncryptionKeyThatIsNot256BitsIsRefusedWithoutShowingIt() {
        StarterContextRunner.create()
            .withPropertyValues(CLIENT)
            .withPropertyValues("api.auth.shared.encryption-key=c2hvcnQta2V5LXZhbHVl")
            .run((context) -> {
                FailureAnalysis analysis = analysis(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("api.auth.shared.encryption-key")
                    .doesNotContain("c2hvcnQta2V5LXZhbHVl");
            });
    }

    @Test
    void aKeyPrefixThatCannotCarryAHashTagIsRefusedNamingTheReason() {
        StarterContextRunner.create()
            .withPropertyValues(CLIENT)
            .withPropertyValues("api.auth.shared.key-prefix=}orders")
            .run((context) -> {
                FailureAnalysis analysis = analysis(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("api.auth.shared.key-prefix", "'}orders' starts with '}'",
                        "Redis Cluster hash tag");
                assertThat(analysis.getAction()).contains("orders:{eu}");
            });
    }

    private static FailureAnalysis analysis(Throwable failure) {
        return new InvalidTokenClientPropertyFailureAnalyzer().analyze(failure);
    }
}
