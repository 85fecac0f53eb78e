package dev.tokenstarter.token.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 22: a key under {@code api.auth.} that binds to nothing (a typo, a key retired before 1.0) started
 * and was ignored. It now stops startup naming the key, where it came from and the closest valid key or
 * its replacement; environment variables only warn.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnboundTokenClientKeysTest {

    private static final String[] CLIENT = { "api.auth.token-uri=http://127.0.0.1:9/token", "api.auth.client-id=c",
            "api.auth.client-secret=secret-1234", "api.auth.base-url=http://127.0.0.1:9", "api.auth.refresh.eager=false" };

    private final ApplicationContextRunner runner = StarterContextRunner.create().withPropertyValues(CLIENT);

    @Test
    void aTypoStopsStartupNamingTheKeyItsSourceAndTheClosestKey() {
        runner.withPropertyValues("api.auth.scopes=orders.read").run((context) -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).contains("'api.auth.scopes'", "binds to nothing", "from ",
                    "did you mean api.auth.scope?");
        });
    }

    @Test
    void aRetiredFlatKeyOfANamedClientNamesItsReplacement() {
        runner.withPropertyValues("api.auth.clients.orders.token-uri=http://127.0.0.1:9/token",
                "api.auth.clients.orders.client-id=o", "api.auth.clients.orders.client-secret=secret-1234",
                "api.auth.clients.orders.refresh.eager=false", "api.auth.clients.orders.refresh-before=30s")
            .run((context) -> assertThat(analysis(context).getDescription()).contains(
                    "'api.auth.clients.orders.refresh-before'",
                    "it was retired before 1.0: use api.auth.clients.orders.refresh.before"));
    }

    @Test
    void keysThatAreAllMistakesStopStartupInsteadOfSwitchingTheStarterOff() {
        StarterContextRunner.create()
            .withPropertyValues("api.auth.token-url=http://127.0.0.1:9/token", "api.auth.secret=secret-1234")
            .run((context) -> assertThat(analysis(context).getDescription()).contains("'api.auth.token-url'",
                    "did you mean api.auth.token-uri?", "'api.auth.secret'"));
    }

    @Test
    void aRetiredMapKeyKeepsItsEntryInTheReplacement() {
        runner.withPropertyValues("api.auth.headers.X-Tenant=shop")
            .run((context) -> assertThat(analysis(context).getDescription()).contains(
                    "it was retired before 1.0: use api.auth.request.headers.x-tenant"));
    }

    @Test
    void environmentVariablesInTheirUnderscoreFormBindWithoutAWarning(CapturedOutput output) {
        runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of("API_AUTH_CLIENT_SECRET",
                        "from-the-environment-1234", "API_AUTH_REQUEST_EXTRA_PARAMETERS_AUDIENCE", "orders"))))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output).doesNotContain("binds to no token client property");
            });
    }

    @Test
    void everyUnboundKeyIsListed() {
        runner.withPropertyValues("api.auth.scopes=orders.read", "api.auth.request.conect-timeout=1s", "api.auth.eager=true")
            .run((context) -> assertThat(analysis(context).getDescription()).contains("'api.auth.scopes'",
                    "'api.auth.request.conect-timeout'", "did you mean api.auth.request.connect-timeout?",
                    "'api.auth.eager'", "use api.auth.refresh.eager"));
    }

    @Test
    void mapValuedKeysTakeAnySubKey() {
        runner.withPropertyValues("api.auth.request.headers.X-Tenant=shop", "api.auth.request.extra-parameters.audience=orders",
                "api.auth.scope[0]=orders.read", "api.auth.scope[1]=orders.write")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void environmentVariablesOnlyWarn(CapturedOutput output) {
        runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment",
                        Map.of("API_AUTH_PORT_443_TCP", "tcp://10.0.0.7:443", "API_AUTH_SERVICE_HOST", "10.0.0.7"))))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output).contains("The environment variable behind 'api.auth.port[443].tcp'",
                        "API_AUTH_PORT_443_TCP", "binds to no token client property and is ignored");
            });
    }

    private static FailureAnalysis analysis(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).isNotNull();
        return analysis;
    }
}
