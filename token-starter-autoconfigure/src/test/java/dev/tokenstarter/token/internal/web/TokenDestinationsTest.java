package dev.tokenstarter.token.internal.web;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which destinations may receive the token.
 */
class TokenDestinationsTest {

    private final TokenDestinations destinations = TokenDestinations.of(URI.create("https://api.example.com/v1"),
            List.of("https://files.example.com:8443", "cdn.example.com"));

    @Test
    void theBaseUrlOriginMatchesWithDefaultPortsAndAnyCase() {
        assertThat(destinations.includes(URI.create("https://api.example.com/v1/orders"))).isTrue();
        assertThat(destinations.includes(URI.create("https://API.Example.com:443/v1/other"))).isTrue();
        assertThat(destinations.includes(URI.create("HTTPS://api.example.com/v1/other"))).as("scheme in capitals")
            .isTrue();
        assertThat(destinations.includes(URI.create("HTTPS://api.example.com:80/v1"))).as("http's port").isFalse();
        assertThat(destinations.includes(URI.create("http://api.example.com/v1"))).as("other scheme").isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com:8443/v1"))).as("other port").isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com.evil.test/v1"))).as("other host").isFalse();
    }

    @Test
    void allowedOriginsMatchExactly() {
        assertThat(destinations.includes(URI.create("https://files.example.com:8443/a"))).isTrue();
        assertThat(destinations.includes(URI.create("https://files.example.com/a"))).isFalse();
    }

    @Test
    void allowedHostNamesMatchAnyPortOverHttpsOnly() {
        assertThat(destinations.includes(URI.create("https://cdn.example.com:9000/x"))).isTrue();
        assertThat(destinations.includes(URI.create("http://cdn.example.com/x"))).isFalse();
        assertThat(TokenDestinations.of(null, List.of("cdn.example.com"), true).includes(URI.create("http://cdn.example.com/x")))
            .isTrue();
    }

    @Test
    void relativeOrHostlessUrisNeverMatch() {
        assertThat(destinations.includes(URI.create("/v1/orders"))).isFalse();
        assertThat(destinations.includes(URI.create("mailto:someone@api.example.com"))).isFalse();
        assertThat(destinations.includes(null)).isFalse();
    }

    @Test
    void anEntryThatIsNeitherOriginNorHostIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> TokenDestinations.of(null, List.of("files example com")));
    }

    @Test
    void aBaseUrlWithAPathScopesTheTokenToThatPathSegmentBySegment() {
        assertThat(destinations.includes(URI.create("https://api.example.com/v1"))).isTrue();
        assertThat(destinations.includes(URI.create("https://api.example.com/v1/"))).isTrue();
        assertThat(destinations.includes(URI.create("https://api.example.com/v1/orders?x=1"))).isTrue();
        assertThat(destinations.includes(URI.create("https://api.example.com/v2/orders"))).as("other path").isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com/v1x"))).as("not a segment boundary").isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com/"))).isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com/v1/../admin"))).as("dot segments").isFalse();
        assertThat(destinations.includes(URI.create("https://api.example.com/v1/%2e%2e/admin"))).as("encoded dots").isFalse();
        assertThat(TokenDestinations.of(URI.create("https://api.example.com/"), List.of()).includes(URI.create("https://api.example.com/x/../y")))
            .as("no path, no prefix to escape").isTrue();
    }

    @Test
    void theLongestBaseUrlWinsBetweenClientsOnOneOrigin() {
        TokenDestinations gateway = TokenDestinations.of(URI.create("https://gw.example.com"), List.of())
            .excluding(List.of(URI.create("https://gw.example.com/payments/"), URI.create("https://other.example.com/orders")));
        TokenDestinations payments = TokenDestinations.of(URI.create("https://gw.example.com/payments"), List.of())
            .excluding(List.of(URI.create("https://gw.example.com")));

        assertThat(gateway.includes(URI.create("https://gw.example.com/orders/1"))).isTrue();
        assertThat(gateway.includes(URI.create("https://gw.example.com/payments/1"))).isFalse();
        assertThat(gateway.includes(URI.create("https://gw.example.com/paymentsX"))).isTrue();
        assertThat(payments.includes(URI.create("https://gw.example.com/payments/1"))).isTrue();
        assertThat(payments.includes(URI.create("https://gw.example.com/orders/1"))).isFalse();
    }

    @Test
    void anOriginWithoutAValidHostIsRejectedWithAReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> TokenDestinations.of(null, List.of("https://*.example.com")))
            .withMessageContaining("wildcards");
        assertThatIllegalArgumentException().isThrownBy(() -> TokenDestinations.of(null, List.of("https://my_host.internal")))
            .withMessageContaining("no valid host name");
    }

    @Test
    void redirectsAreJudgedByOrigin() {
        assertThat(TokenDestinations.sameOrigin(URI.create("https://a.example.com/x"), URI.create("https://A.example.com:443/y")))
            .isTrue();
        assertThat(TokenDestinations.sameOrigin(URI.create("https://a.example.com/x"), URI.create("http://a.example.com/x")))
            .isFalse();
    }
}
