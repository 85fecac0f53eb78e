package dev.tokenstarter.token.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.endpoint.CredentialSource;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code grant-type: token-exchange} and {@code jwt-bearer} from properties: the three kinds of source, and a
 * startup failure naming the property for each misconfiguration.
 */
class GrantCredentialsAutoConfigurationTest {

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = StarterContextRunner.create()
        .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.client-id=gateway",
                "api.auth.client-secret=gateway-secret-123", "api.auth.refresh.eager=false");

    @Test
    void aTokenExchangeWithTheSubjectTokenFromABean() {
        endpoint.issueOnce("token-exchanged-abcdef", 3600);
        runner.withBean("callerToken", CredentialSource.class, () -> () -> "subject-from-bean")
            .withPropertyValues("api.auth.grant-type=token-exchange", "api.auth.token-exchange.subject-token.bean=callerToken",
                    "api.auth.token-exchange.audience=orders", "api.auth.token-exchange.resource=https://orders.example.com")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-exchanged-abcdef");
                assertThat(endpoint.requests()[0].getBodyAsString()).contains("subject_token=subject-from-bean&")
                    .contains("subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token")
                    .contains("audience=orders").contains("resource=https%3A%2F%2Forders.example.com")
                    .doesNotContain("actor_token");
            });
    }

    @Test
    void aTokenExchangeWithTheSubjectTokenFromAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("sa-token"), "projected-sa-token\n");
        endpoint.issueOnce("token-file-abcdef", 3600);
        runner.withPropertyValues("api.auth.grant-type=token-exchange",
                "api.auth.token-exchange.subject-token.location=file:" + file,
                "api.auth.token-exchange.subject-token-type=urn:ietf:params:oauth:token-type:jwt")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-file-abcdef");
                assertThat(endpoint.requests()[0].getBodyAsString()).contains("subject_token=projected-sa-token&");
            });
    }

    @Test
    void theJwtBearerGrantWithAFixedAssertion() {
        endpoint.issueOnce("token-bearer-abcdef", 3600);
        runner.withPropertyValues("api.auth.grant-type=jwt-bearer", "api.auth.jwt-bearer.assertion.value=eyJ.e30.sig")
            .run((context) -> {
                assertThat(context.getBean(TokenProvider.class).getToken().value()).isEqualTo("token-bearer-abcdef");
                assertThat(endpoint.requests()[0].getBodyAsString()).contains("assertion=eyJ.e30.sig");
            });
    }

    @Test
    void noSubjectTokenIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.grant-type=token-exchange"),
                "api.auth.token-exchange.subject-token", "it is not set");
    }

    @Test
    void twoSourcesAreNamed() {
        assertFailure(runner.withPropertyValues("api.auth.grant-type=jwt-bearer",
                "api.auth.jwt-bearer.assertion.value=eyJ.e30.sig-7Hq2xV9pLm", "api.auth.jwt-bearer.assertion.location=/tmp/x"),
                "api.auth.jwt-bearer.assertion", "more than one");
    }

    @Test
    void anUnknownBeanIsNamed() {
        assertFailure(runner.withPropertyValues("api.auth.grant-type=token-exchange",
                "api.auth.token-exchange.subject-token.bean=nowhere"),
                "api.auth.token-exchange.subject-token.bean", "no bean named 'nowhere'");
    }

    private static void assertFailure(ApplicationContextRunner runner, String property, String reason) {
        runner.run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new InvalidTokenClientPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason)
                .doesNotContain("7Hq2xV9pLm");
            assertThat(analysis.getAction()).isNotBlank();
        });
    }
}
