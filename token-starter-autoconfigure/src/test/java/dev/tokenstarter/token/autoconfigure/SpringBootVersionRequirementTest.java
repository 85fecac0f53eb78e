package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.HttpCookieHandling;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26: on Spring Boot 4.0 (tried with an application on 4.0.9, .ci/installed-app) the starter failed at
 * the first token request with {@code NoClassDefFoundError: …HttpCookieHandling}, a type new in Boot 4.1. It
 * now stops startup saying which Spring Boot it needs and which it found. Here Boot 4.0 is imitated by hiding
 * that type from the application's class loader.
 */
class SpringBootVersionRequirementTest {

    private final ApplicationContextRunner runner = StarterContextRunner.create()
        .withPropertyValues("api.auth.token-uri=http://127.0.0.1:9/token", "api.auth.client-id=c",
                "api.auth.client-secret=secret-1234", "api.auth.base-url=http://127.0.0.1:9",
                "api.auth.refresh.eager=false");

    @Test
    void aSpringBootWithoutTheTypesOf41StopsStartupNamingBothVersions() {
        runner.withClassLoader(new FilteredClassLoader(HttpCookieHandling.class)).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new UnsupportedSpringBootFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("token-starter needs Spring Boot 4.1 or newer")
                .contains("this application runs Spring Boot " + SpringBootVersion.getVersion())
                .contains(UnsupportedSpringBootException.MARKER);
            assertThat(analysis.getAction()).startsWith("Upgrade to Spring Boot 4.1 or newer");
        });
    }

    @Test
    void theSpringBootOfThisBuildPasses() {
        assertThat(UnsupportedSpringBootException.MARKER).isEqualTo(HttpCookieHandling.class.getName());
        runner.run((context) -> assertThat(context).hasNotFailed());
    }
}
