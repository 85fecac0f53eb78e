package dev.tokenstarter.token.internal.endpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.TokenFetchException;
import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.support.TokenCorpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Parsing of token responses: the accepted variants, and a corpus of malformed, hostile or odd answers kept as
 * files under {@code src/test/resources/token-responses}, each expecting its specific error or its token.
 */
class TokenResponseParserTest {

    private static final URI URI_ = URI.create("https://auth.example.com/oauth/token");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private final TokenResponseParser parser = new TokenResponseParser(TokenResponseFormat.STANDARD);

    private AccessToken parse(String json) {
        return parser.parse(URI_, 200, "application/json", json.getBytes(StandardCharsets.UTF_8), clock.instant(),
                Set.of());
    }

    @Test
    void parsesTheStandardResponse() {
        AccessToken token = parse("{\"access_token\":\"abcdefgh12345\",\"refresh_token\":\"rt-123456789\","
                + "\"token_type\":\"bearer\",\"expires_in\":3600,\"scope\":\"a b\"}");

        assertThat(token.value()).isEqualTo("abcdefgh12345");
        assertThat(token.refreshToken()).isEqualTo("rt-123456789");
        assertThat(token.issuedAt()).isEqualTo(clock.instant());
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
        assertThat(token.scopes()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void acceptsExpiresInAsAString() {
        assertThat(parse("{\"access_token\":\"abcdefgh12345\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}")
            .expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    }

    @Test
    void acceptsAJsonTokenServedWithAnotherNonHtmlContentType() {
        byte[] body = "{\"access_token\":\"abcdefgh12345\",\"expires_in\":60}".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(URI_, 200, "text/plain;charset=UTF-8", body, clock.instant(), Set.of()).value())
            .isEqualTo("abcdefgh12345");
        assertThat(parser.parse(URI_, 200, null, body, clock.instant(), Set.of()).value()).isEqualTo("abcdefgh12345");
    }

    @Test
    void aJwtExpEarlierThanExpiresInCapsTheLifetime() {
        long exp = clock.instant().plusSeconds(120).getEpochSecond();
        String payload = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));

        assertThat(parse("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln\",\"expires_in\":3600}")
            .expiresAt().getEpochSecond()).isEqualTo(exp);
    }

    @Test
    void aJwtExpInThePastDoesNotOverrideAValidExpiresIn() {
        String payload = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"exp\":1000}".getBytes(StandardCharsets.UTF_8));

        assertThat(parse("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln\",\"expires_in\":60}")
            .expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    }

    @Test
    void aJwtCapIsTheLifetimeInTheIssuersClockWhenTheJwtHasIat() {
        // the local clock is 59 s ahead of the identity provider's: exp - local now would leave 61 s of 120
        long iat = clock.instant().minusSeconds(59).getEpochSecond();
        String jwt = jwt("{\"iat\":" + iat + ",\"exp\":" + (iat + 120) + "}");

        assertThat(parse("{\"access_token\":\"" + jwt + "\",\"expires_in\":3600}").expiresAt())
            .isEqualTo(clock.instant().plusSeconds(120));
    }

    @Test
    void withoutExpiresInTheJwtLifetimeIsAlsoTakenInTheIssuersClock() {
        long iat = clock.instant().minusSeconds(59).getEpochSecond();
        String jwt = jwt("{\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}");

        assertThat(parse("{\"access_token\":\"" + jwt + "\"}").expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aJwtCapNeverDrivesTheRefreshIntervalBelowOneSecondAndWarnsOnce(CapturedOutput output) {
        // no iat, and exp only 1 s ahead of the local clock (which may be ahead of the issuer's)
        long exp = clock.instant().plusSeconds(1).getEpochSecond();
        String jwt = jwt("{\"exp\":" + exp + "}");

        AccessToken first = parse("{\"access_token\":\"" + jwt + "\",\"expires_in\":3600}");
        AccessToken second = parse("{\"access_token\":\"" + jwt + "\"}");

        for (AccessToken token : new AccessToken[] { first, second }) {
            assertThat(Duration.between(token.issuedAt(), RefreshTiming.DEFAULTS.refreshAt(token)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(token.expiresAt()).isBefore(clock.instant().plusSeconds(3600));
        }
        String warning = "carry a JWT whose exp claim leaves less than";
        assertThat(output.getAll()).containsOnlyOnce(warning).contains("WARN").doesNotContain(jwt)
            .doesNotContain(Long.toString(exp));
    }

    @Test
    void acceptsTheTokenTypeInAnyCase() {
        assertThat(parse("{\"access_token\":\"abcdefgh12345\",\"token_type\":\"BEARER\",\"expires_in\":60}").tokenType())
            .isEqualTo("BEARER");
    }

    @Test
    void withoutExpiresInAJwtExpClaimIsUsed() {
        long exp = clock.instant().plusSeconds(900).getEpochSecond();
        String payload = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(("{\"sub\":\"x\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        AccessToken token = parse("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln\"}");

        assertThat(token.expiresAt().getEpochSecond()).isEqualTo(exp);
    }

    @Test
    void withoutAnyExpiryTheDefaultLifetimeIsUsed() {
        assertThat(parse("{\"access_token\":\"opaque-token-1234\",\"token_type\":\"Bearer\"}").expiresAt())
            .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void anAbsoluteExpiryIsUsedWhenConfigured() {
        TokenResponseFormat format = new TokenResponseFormat("access_token", "token_type", "expires_in", "expires_at",
                null, null, null, "Bearer", Duration.ofMinutes(5));
        TokenResponseParser absolute = new TokenResponseParser(format);

        AccessToken iso = absolute.parse(URI_, 200, "application/json",
                "{\"access_token\":\"abcdefgh12345\",\"expires_at\":\"2026-01-01T02:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                clock.instant(), Set.of());
        AccessToken epoch = absolute.parse(URI_, 200, "application/json",
                ("{\"access_token\":\"abcdefgh12345\",\"expires_at\":" + clock.instant().plusSeconds(60).getEpochSecond() + "}")
                    .getBytes(StandardCharsets.UTF_8), clock.instant(), Set.of());

        assertThat(iso.expiresAt()).isEqualTo(clock.instant().plusSeconds(7200));
        assertThat(epoch.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    }

    @Test
    void aServerRefreshHintIsKept() {
        assertThat(parse("{\"access_token\":\"abcdefgh12345\",\"expires_in\":3600,\"refresh_in\":1800}").refreshHint())
            .isEqualTo(clock.instant().plusSeconds(1800));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anInvalidRefreshHintIsIgnoredWithOneWarning(CapturedOutput output) {
        for (String hint : new String[] { "0", "-1", "-0.123456789", "\"q7z-soon\"", "1e99", "{}" }) {
            AccessToken token = parse("{\"access_token\":\"abcdefgh12345\",\"expires_in\":3600,\"refresh_in\":" + hint + "}");

            assertThat(token.refreshHint()).as(hint).isNull();
            assertThat(token.expiresAt()).as(hint).isEqualTo(clock.instant().plusSeconds(3600));
        }
        assertThat(output.getAll()).containsOnlyOnce("Ignoring the invalid 'refresh_in'").contains("WARN")
            .doesNotContain("q7z-soon").doesNotContain("0.123456789");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void eachMalformedResponseYieldsItsSpecificError(String name, TokenCorpus.Case sample) {
        Throwable thrown = catchThrowable(() -> parser.parse(URI_, sample.status(), sample.contentType(), sample.body(),
                clock.instant(), Set.of()));

        assertThat(thrown).as(name).isNotNull().isInstanceOf(TokenFetchException.class);
        assertThat(thrown.getClass().getSimpleName()).as(name).isEqualTo(sample.expectedType());
        assertThat(thrown.getMessage()).as(name).contains(sample.expectedMessage()).contains(URI_.toString());
        assertThat(sample.tokenValues()).allSatisfy((token) -> assertThat(thrown.getMessage()).as(name).doesNotContain(token));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void eachOddButUsableResponseYieldsAToken(String name, TokenCorpus.Case sample) {
        AccessToken token = parser.parse(URI_, sample.status(), sample.contentType(), sample.body(), clock.instant(),
                Set.of());

        assertThat(token.lifetime()).as(name).isEqualTo(Duration.ofSeconds(sample.lifetimeSeconds()));
    }

    private static String jwt(String claims) {
        return "eyJhbGciOiJIUzI1NiJ9."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    static Stream<Object[]> malformed() throws IOException {
        return corpus().filter((args) -> !((TokenCorpus.Case) args[1]).accepted());
    }

    static Stream<Object[]> accepted() throws IOException {
        return corpus().filter((args) -> ((TokenCorpus.Case) args[1]).accepted());
    }

    private static Stream<Object[]> corpus() throws IOException {
        return TokenCorpus.files().map((path) -> new Object[] { path.getFileName().toString(), TokenCorpus.read(path) });
    }
}
