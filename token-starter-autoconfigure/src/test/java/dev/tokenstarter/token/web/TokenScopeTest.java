package dev.tokenstarter.token.web;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which destinations may receive the token.
 */
class TokenScopeTest {

    private final TokenScope scope = TokenScope.of(URI.create("https://api.example.com/v1"),
            List.of("https://files.example.com:8443", "cdn.example.com"));

    @Test
    void theBaseUrlOriginMatchesWithDefaultPortsAndAnyCase() {
        assertThat(scope.includes(URI.create("https://api.example.com/v1/orders"))).isTrue();
        assertThat(scope.includes(URI.create("https://API.Example.com:443/other"))).isTrue();
        assertThat(scope.includes(URI.create("http://api.example.com/v1"))).as("other scheme").isFalse();
        assertThat(scope.includes(URI.create("https://api.example.com:8443/v1"))).as("other port").isFalse();
        assertThat(scope.includes(URI.create("https://api.example.com.evil.test/v1"))).as("other host").isFalse();
    }

    @Test
    void allowedOriginsMatchExactly() {
        assertThat(scope.includes(URI.create("https://files.example.com:8443/a"))).isTrue();
        assertThat(scope.includes(URI.create("https://files.example.com/a"))).isFalse();
    }

    @Test
    void allowedHostNamesMatchAnyPortOverHttpsOnly() {
        assertThat(scope.includes(URI.create("https://cdn.example.com:9000/x"))).isTrue();
        assertThat(scope.includes(URI.create("http://cdn.example.com/x"))).isFalse();
        assertThat(TokenScope.of(null, List.of("cdn.example.com"), true).includes(URI.create("http://cdn.example.com/x")))
            .isTrue();
    }

    @Test
    void relativeOrHostlessUrisNeverMatch() {
        assertThat(scope.includes(URI.create("/v1/orders"))).isFalse();
        assertThat(scope.includes(URI.create("mailto:someone@api.example.com"))).isFalse();
        assertThat(scope.includes(null)).isFalse();
    }

    @Test
    void anEntryThatIsNeitherOriginNorHostIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TokenScope.of(null, List.of("files example com")));
    }

    @Test
    void redirectsAreJudgedByOrigin() {
        assertThat(TokenScope.sameOrigin(URI.create("https://a.example.com/x"), URI.create("https://A.example.com:443/y")))
            .isTrue();
        assertThat(TokenScope.sameOrigin(URI.create("https://a.example.com/x"), URI.create("http://a.example.com/x")))
            .isFalse();
    }
}
