package dev.tokenstarter.token.reliability;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockserver.model.HttpResponse;

import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointClient;
import dev.tokenstarter.token.internal.endpoint.TokenEndpointConfig;
import dev.tokenstarter.token.internal.endpoint.TokenFetchObserver;
import dev.tokenstarter.token.support.MisbehavingServer;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenCorpus;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockserver.model.HttpResponse.response;

/**
 * The corpus of malformed and hostile token responses, served over real HTTP to the token endpoint client,
 * plus transport-level misbehaviour (slow drip, reset, close, hang, garbage, oversized bodies): each gives its
 * specific {@link TokenFetchException}, never a NullPointerException, never a hang, never a token. The odd
 * but usable answers of the corpus (a decimal lifetime, an invalid refresh hint) give their token.
 */
class HostileTokenEndpointTest {

    private static final String SECRET = "hostile-secret-0123456789";

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    /** With timeouts (connect 500 ms, read 700 ms) short enough to test them, for misbehaving servers. */
    private Throwable fetchFrom(URI tokenUri) {
        return fetchFrom(tokenUri, Duration.ofMillis(500), Duration.ofMillis(700));
    }

    /** With the default timeouts, for answers that arrive: a loaded machine must not turn them into timeouts. */
    private Throwable fetchAnswerFrom(URI tokenUri) {
        return fetchFrom(tokenUri, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private Throwable fetchFrom(URI tokenUri, Duration connect, Duration read) {
        TokenEndpointConfig config = TokenEndpointConfigs.builder(tokenUri).clientId("c").clientSecret(SECRET)
            .connectTimeout(connect).readTimeout(read).build();
        TokenEndpointClient client = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE);
        return assertTimeoutPreemptively(connect.plus(read).plusSeconds(3),
                () -> catchThrowable(() -> client.fetch(null).block()));
    }

    static Stream<Arguments> malformed() throws IOException {
        return TokenCorpus.files().filter((path) -> !TokenCorpus.read(path).accepted())
            .map((path) -> Arguments.of(path.getFileName().toString(), path));
    }

    static Stream<Arguments> accepted() throws IOException {
        return TokenCorpus.files().filter((path) -> TokenCorpus.read(path).accepted())
            .map((path) -> Arguments.of(path.getFileName().toString(), path));
    }

    private static void serve(TokenCorpus.Case sample) {
        HttpResponse answer = response().withStatusCode(sample.status()).withBody(sample.body());
        if (sample.contentType() != null) {
            answer = answer.withHeader("Content-Type", sample.contentType());
        }
        endpoint.respondOnce(answer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void eachMalformedCorpusResponseOverHttpYieldsItsSpecificError(String name, Path file) {
        TokenCorpus.Case sample = TokenCorpus.read(file);
        serve(sample);

        Throwable thrown = fetchAnswerFrom(endpoint.uri());

        assertThat(thrown).as(name).isInstanceOf(TokenFetchException.class);
        assertThat(thrown.getClass().getSimpleName()).as(name).isEqualTo(sample.expectedType());
        assertThat(thrown.getMessage()).as(name).contains(sample.expectedMessage()).doesNotContain(SECRET);
        assertThat(sample.tokenValues()).allSatisfy((token) -> assertThat(thrown.getMessage()).as(name).doesNotContain(token));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void eachOddButUsableCorpusResponseOverHttpYieldsAToken(String name, Path file) {
        TokenCorpus.Case sample = TokenCorpus.read(file);
        serve(sample);
        TokenEndpointConfig config = TokenEndpointConfigs.builder(endpoint.uri()).clientId("c").clientSecret(SECRET).build();

        AccessToken token = new TokenEndpointClient(config, clock, TokenFetchObserver.NONE).fetch(null)
            .block(Duration.ofSeconds(15));

        assertThat(token.lifetime()).as(name).isEqualTo(Duration.ofSeconds(sample.lifetimeSeconds()));
    }

    @Test
    void theCorpusHoldsAtLeastFiftyResponses() throws IOException {
        assertThat(TokenCorpus.files().count()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void anOversizedBodyIsCutOffAtTheCap() {
        endpoint.respondOnce(TokenEndpointMock.json(200, "{\"access_token\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"));

        assertThat(fetchAnswerFrom(endpoint.uri())).isInstanceOf(TokenFetchException.class)
            .hasMessageContaining("larger than 1048576 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MisbehavingServer.Mode.class)
    void transportMisbehaviourGivesATimelyClearError(MisbehavingServer.Mode mode) throws IOException {
        try (MisbehavingServer misbehaving = new MisbehavingServer(mode)) {
            long start = System.nanoTime();
            Throwable thrown = fetchFrom(misbehaving.uri());

            assertThat(thrown).as(mode.name()).isInstanceOf(TokenFetchException.class);
            FailureKind expected = switch (mode) {
                case SLOW_DRIP, HANG -> FailureKind.TIMEOUT;
                default -> FailureKind.CONNECTION_ERROR;
            };
            assertThat(((TokenFetchException) thrown).kind()).as(mode.name()).isEqualTo(expected);
            assertThat(thrown.getMessage()).doesNotContain(SECRET).contains(misbehaving.uri().toString());
            // connect (500 ms) + read (700 ms) bound the whole exchange
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }
}
