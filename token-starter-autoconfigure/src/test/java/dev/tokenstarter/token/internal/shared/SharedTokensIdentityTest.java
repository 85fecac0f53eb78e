package dev.tokenstarter.token.internal.shared;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.actuate.SharedTokenMetrics;
import dev.tokenstarter.token.internal.shared.SharedTokensFixture.Instance;
import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.RedisServer;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.TokenStatus;

import static dev.tokenstarter.token.internal.shared.SharedTokensFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 1: the default key prefix was the same for every application without a name whose client is called
 * {@code api}, and the second one started was handed the first one's token. A shared entry now belongs to
 * exactly one client identity. Applications here have no {@code spring.application.name}; each has its own
 * token endpoint and API, which accepts only the tokens its endpoint issued.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedTokensIdentityTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final String FOREIGN = "belongs to another client";

    @Test
    void twoApplicationsWithDifferentClientIdsOnOneRedisEachUseOnlyTheirOwnTokens(CapturedOutput output) throws Exception {
        try (LoopbackTokenEndpoint first = LoopbackTokenEndpoint.builder().tokenPrefix("first").start();
                LoopbackTokenEndpoint second = LoopbackTokenEndpoint.builder().tokenPrefix("second").start();
                Fleet fleet = new Fleet(redis.port(), first, "api.auth.shared.enabled=true")) {
            ConfigurableApplicationContext a = fleet.start();
            ConfigurableApplicationContext b = fleet.start(otherApplication(second));

            Fleet.Calls calls = fleet.call(2, Duration.ofSeconds(1));

            assertThat(calls.failed.get()).as(calls.toString()).isZero();
            assertThat(Fleet.provider(a).getToken().value()).startsWith("first-");
            assertThat(Fleet.provider(b).getToken().value()).startsWith("second-");
            assertThat(first.apiCalls(TokenStatus.UNKNOWN) + second.apiCalls(TokenStatus.UNKNOWN))
                .as("API calls with another application's token").isZero();
            assertThat(foreignEntries(a) + foreignEntries(b)).as("the default prefixes differ: they never meet").isZero();
            assertThat(output).contains("spring.application.name is not set");
        }
    }

    @Test
    void withTheSameExplicitKeyPrefixTheOtherClientsEntryIsRefusedCountedAndLoggedOnce(CapturedOutput output)
            throws Exception {
        try (LoopbackTokenEndpoint first = LoopbackTokenEndpoint.builder().tokenPrefix("first").start();
                LoopbackTokenEndpoint second = LoopbackTokenEndpoint.builder().tokenPrefix("second").start();
                Fleet fleet = new Fleet(redis.port(), first, "api.auth.shared.enabled=true",
                        "api.auth.shared.key-prefix=same-prefix:" + System.nanoTime())) {
            ConfigurableApplicationContext a = fleet.start();
            Fleet.provider(a).getToken();
            ConfigurableApplicationContext b = fleet.start(otherApplication(second));

            Fleet.Calls calls = fleet.call(2, Duration.ofSeconds(1));

            assertThat(calls.failed.get()).as(calls.toString()).isZero();
            assertThat(Fleet.provider(b).getToken().value()).startsWith("second-");
            assertThat(second.apiCalls(TokenStatus.UNKNOWN)).isZero();
            assertThat(foreignEntries(b)).isPositive();
            assertThat(output.toString().split(FOREIGN, -1)).as("log lines saying so").hasSize(2);
        }
    }

    @Test
    void twoApplicationsWithTheSameClientButDifferentScopesEachGetATokenForTheirOwnScopes() throws Exception {
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start();
                Fleet fleet = new Fleet(redis.port(), endpoint, "api.auth.shared.enabled=true")) {
            ConfigurableApplicationContext reader = fleet.start("api.auth.scope=orders.read");
            String readerToken = Fleet.provider(reader).getToken().value();
            ConfigurableApplicationContext writer = fleet.start("api.auth.scope=orders.write");
            String writerToken = Fleet.provider(writer).getToken().value();

            assertThat(writerToken).isNotEqualTo(readerToken);
            assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("scope"))
                .containsExactly("orders.read", "orders.write");
            // a rolling deploy that adds a scope: the new instances do not serve the old token
            ConfigurableApplicationContext anotherReader = fleet.start("api.auth.scope=orders.read");
            assertThat(Fleet.provider(anotherReader).getToken().value()).isEqualTo(readerToken);
            assertThat(endpoint.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void anEntryOfAnotherIdentityIsNeverHandedOutNorAdoptedFromAPublication() {
        try (SharedTokensFixture fleet = new SharedTokensFixture(redis.port())) {
            Instance a = fleet.instance(Duration.ofSeconds(4), java.time.Clock.systemUTC(), "identity-a", false);
            Instance b = fleet.instance(Duration.ofSeconds(4), java.time.Clock.systemUTC(), "identity-b", false);
            AccessToken mine = a.provider().getToken();
            AccessToken theirs = b.provider().getToken();
            assertThat(theirs.value()).isNotEqualTo(mine.value());
            assertThat(b.status().foreignEntries()).isEqualTo(1);

            AccessToken newer = a.source().fetch(mine, FetchReason.DUE).block(TIMEOUT); // stored and published
            SharedTokensFetchReasonTest.await(() -> b.status().publicationsReceived() >= 1);

            assertThat(b.provider().getToken().value()).isEqualTo(theirs.value()).isNotEqualTo(newer.value());
            assertThat(fleet.endpoint.presented).as("b's own request used the base grant").containsExactly(null, null,
                    "refresh-1");
        }
    }

    @Test
    void theIdentityDigestDependsOnEveryDefiningValueButNotOnOrderAndIsKeyedWithTheEncryptionKey() {
        String digest = SharedTokens.identity(Map.of("client-id", "a", "scope", List.of("x", "y")), null);
        assertThat(SharedTokens.identity(Map.of("scope", List.of("y", "x"), "client-id", "a"), null)).isEqualTo(digest);
        assertThat(SharedTokens.identity(Map.of("client-id", "b", "scope", List.of("x", "y")), null)).isNotEqualTo(digest);
        assertThat(SharedTokens.identity(Map.of("client-id", "a", "scope", List.of("x")), null)).isNotEqualTo(digest);
        assertThat(digest).matches("[0-9a-f]{16}");
        // with a key, a low-entropy value (an extra parameter, a header) cannot be guessed back from the key prefix
        Map<String, Object> withSecret = Map.of("client-id", "a", "extra-parameters", Map.of("api_key", "1234"));
        String keyed = SharedTokens.identity(withSecret, SharedTokenStoreTest.key(1));
        assertThat(keyed).isNotEqualTo(SharedTokens.identity(withSecret, null))
            .isEqualTo(SharedTokens.identity(withSecret, SharedTokenStoreTest.key(1)))
            .isNotEqualTo(SharedTokens.identity(withSecret, SharedTokenStoreTest.key(2)));
    }

    /** Another application: its own client id, token endpoint and API. */
    private static String[] otherApplication(LoopbackTokenEndpoint endpoint) {
        return new String[] { "api.auth.client-id=other-application", "api.auth.token-uri=" + endpoint.uri(),
                "api.auth.base-url=" + endpoint.apiUri() };
    }

    private static double foreignEntries(ConfigurableApplicationContext instance) {
        return Fleet.meter(instance, SharedTokenMetrics.FOREIGN_ENTRIES, "client", "api");
    }
}
