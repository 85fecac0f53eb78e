package dev.tokenstarter.token.internal.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.model.HttpRequest;

import dev.tokenstarter.token.FailureKind;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenEndpointConfigs;
import dev.tokenstarter.token.support.TokenEndpointMock;
import dev.tokenstarter.token.endpoint.BodyFormat;
import dev.tokenstarter.token.endpoint.CredentialSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The token exchange (RFC 8693) and JWT bearer (RFC 7523 §2.1) grants as sent, and their credential sources.
 */
class GrantRequestTest {

    private static final String JWT = "urn:ietf:params:oauth:token-type:jwt";

    @RegisterExtension
    static final TokenEndpointMock endpoint = new TokenEndpointMock();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private TokenEndpointClient client(TokenEndpointConfigs.Builder builder) {
        return new TokenEndpointClient(builder.build(), clock, TokenFetchObserver.NONE);
    }

    private TokenEndpointConfigs.Builder config() {
        return TokenEndpointConfigs.builder(endpoint.uri()).clientId("gateway").clientSecret("gateway-secret-123");
    }

    @Test
    void aTokenExchangeSendsSubjectActorAudiencesAndResource() {
        endpoint.issueOnce("token-exchanged-abcdef", 3600);

        client(config().tokenExchange(new TokenExchange(CredentialSource.of("subject-token-7Hq2xV9pLm"), JWT,
                CredentialSource.of("actor-token-3Jd8sW1qNv"), TokenExchange.ACCESS_TOKEN_TYPE, List.of("orders", "billing"),
                List.of("https://orders.example.com"), TokenExchange.ACCESS_TOKEN_TYPE))).fetch(null).block();

        String body = endpoint.requests()[0].getBodyAsString();
        assertThat(body).isEqualTo("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token=subject-token-7Hq2xV9pLm&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
                + "&actor_token=actor-token-3Jd8sW1qNv"
                + "&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token"
                + "&resource=https%3A%2F%2Forders.example.com&audience=orders&audience=billing"
                + "&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token");
    }

    @Test
    void inAJsonBodyARepeatedParameterIsAnArray() {
        endpoint.issueOnce("token-json-abcdef", 3600);

        client(config().bodyFormat(BodyFormat.JSON).tokenExchange(new TokenExchange(CredentialSource.of("subject-abcdef"),
                JWT, null, null, List.of("orders", "billing"), List.of(), null))).fetch(null).block();

        tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.shared()
            .readTree(endpoint.requests()[0].getBodyAsString());
        assertThat(json.path("audience").isArray()).isTrue();
        assertThat(json.path("audience").get(1).asString()).isEqualTo("billing");
        assertThat(json.path("subject_token").asString()).isEqualTo("subject-abcdef");
    }

    @Test
    void theJwtBearerGrantSendsTheAssertion() {
        endpoint.issueOnce("token-bearer-abcdef", 3600);

        client(config().jwtBearer(CredentialSource.of("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).scopes(List.of("orders.read")))
            .fetch(null).block();

        assertThat(endpoint.requests()[0].getBodyAsString())
            .isEqualTo("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                    + "&assertion=eyJhbGciOiJSUzI1NiJ9.e30.c2ln&scope=orders.read");
    }

    @Test
    void aFileSourceIsReadAgainWhenTheFileChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first-subject-token\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        TokenEndpointClient client = client(config().tokenExchange(new TokenExchange(new FileCredentialSource(file), JWT,
                null, null, List.of(), List.of(), null)));
        endpoint.issueOnce("token-1-abcdef", 3600);
        endpoint.issueOnce("token-2-abcdef", 3600);
        endpoint.issueOnce("token-3-abcdef", 3600);

        client.fetch(null).block();
        client.fetch(null).block();
        Files.writeString(file, "second-subject-token");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T01:00:00Z")));
        client.fetch(null).block();

        HttpRequest[] sent = endpoint.requests();
        assertThat(sent[0].getBodyAsString()).contains("subject_token=first-subject-token&");
        assertThat(sent[1].getBodyAsString()).contains("subject_token=first-subject-token&");
        assertThat(sent[2].getBodyAsString()).contains("subject_token=second-subject-token&");
    }

    /** Issue 20, defect 4: a same-size rewrite that keeps the modification time was missed. */
    @Test
    void aFileRewrittenWithTheSameSizeAndTimeIsReadAgain() throws Exception {
        FileTime time = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Path file = Files.writeString(dir.resolve("same-size"), "subject-token-one");
        Files.setLastModifiedTime(file, time);
        FileCredentialSource source = new FileCredentialSource(file);
        assertThat(source.get()).isEqualTo("subject-token-one");

        Files.writeString(file, "subject-token-two"); // as cp -p or rsync -t would: same size, same time
        Files.setLastModifiedTime(file, time);

        assertThat(source.get()).isEqualTo("subject-token-two");
    }

    /** Issue 20, defect 4: Kubernetes swaps the ..data symlink to a new directory; the file's time and size may not change. */
    @Test
    void aSymlinkSwappedToAFileOfTheSameTimeAndSizeIsReadAgain() throws Exception {
        FileTime time = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Path first = Files.writeString(Files.createDirectory(dir.resolve("..2026_01_01_a")).resolve("token"), "token-aaaa");
        Path second = Files.writeString(Files.createDirectory(dir.resolve("..2026_01_01_b")).resolve("token"), "token-bbbb");
        Files.setLastModifiedTime(first, time);
        Files.setLastModifiedTime(second, time);
        Path data = Files.createSymbolicLink(dir.resolve("..data"), first.getParent().getFileName());
        Path token = Files.createSymbolicLink(dir.resolve("token-link"), dir.relativize(data.resolve("token")));
        FileCredentialSource source = new FileCredentialSource(token);
        assertThat(source.get()).isEqualTo("token-aaaa");

        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getParent().getFileName());
        Files.move(next, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(source.get()).isEqualTo("token-bbbb");
    }

    @Test
    void aMissingFileFailsTheFetchNamingTheFile() {
        Path missing = dir.resolve("not-yet-projected");

        Throwable failure = catchThrowable(() -> client(config().tokenExchange(new TokenExchange(
                new FileCredentialSource(missing), JWT, null, null, List.of(), List.of(), null))).fetch(null).block());

        assertThat(failure).isInstanceOf(TokenFetchException.class).hasMessageContaining(missing.toString());
        assertThat(((TokenFetchException) failure).kind()).isEqualTo(FailureKind.CLIENT_ERROR);
        assertThat(endpoint.requestCount()).isZero();
    }

    /** Issue 20, defect 1 elsewhere: a token pasted into a location property is not quoted when it cannot be read. */
    @Test
    void aTokenPastedWhereItsLocationBelongsIsNotQuoted() {
        String pasted = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXN0ZWQifQ.c2lnbmF0dXJlLTdIcTJ4VjlwTG0";
        FileCredentialSource source = new FileCredentialSource(Path.of(pasted));

        Throwable failure = catchThrowable(() -> client(config().tokenExchange(new TokenExchange(source, JWT, null, null,
                List.of(), List.of(), null))).fetch(null).block());

        assertThat(failure).isInstanceOf(TokenFetchException.class).hasMessageContaining("cannot be read");
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(cause.toString()).doesNotContain("c2lnbmF0dXJl");
        }
        assertThat(source.toString()).doesNotContain("c2lnbmF0dXJl");
    }

    @Test
    void anEchoedSubjectTokenIsNotRepeatedInTheError() {
        endpoint.respondOnce(TokenEndpointMock.json(400,
                "{\"error\":\"invalid_request\",\"error_description\":\"bad subject-token-7Hq2xV9pLm\"}"));

        Throwable failure = catchThrowable(() -> client(config().tokenExchange(new TokenExchange(
                CredentialSource.of("subject-token-7Hq2xV9pLm"), JWT, null, null, List.of(), List.of(), null)))
            .fetch(null).block());

        assertThat(failure).isNotNull();
        assertThat(failure.toString()).doesNotContain("subject-token-7Hq2xV9pLm");
        assertThat(CredentialSource.of("subject-token-7Hq2xV9pLm").toString()).doesNotContain("7Hq2");
    }
}
