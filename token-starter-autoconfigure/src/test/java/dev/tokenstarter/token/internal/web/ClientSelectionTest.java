package dev.tokenstarter.token.internal.web;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Issue 25, point 4: what a request that selects a client by name means for one client's adapter, on a shared
 * HTTP client and on one dedicated to the client. The end-to-end test is {@code ClientSelectionEndToEndTest}.
 */
class ClientSelectionTest {

    private final ClientSelection orders = new ClientSelection("order-history", Set.of("order-history", "billing"));

    @Test
    void itsOwnNameIsItsOwnOnEveryHttpClient() {
        assertThat(orders.selects("order-history", null)).isTrue();
        assertThat(orders.selects("order-history", "WebClient")).isTrue();
    }

    @Test
    void anotherClientIsLeftToThatClientsAdapterOnASharedHttpClient() {
        assertThat(orders.selects("billing", null)).isFalse();
    }

    @Test
    void anotherClientOnAnHttpClientDedicatedToThisOneFailsNamingBothAndTheBeans() {
        assertThatIllegalStateException().isThrownBy(() -> orders.selects("billing", "RestClient"))
            .withMessageContaining("selects token client 'billing'")
            .withMessageContaining("RestClient dedicated to token client 'order-history' (bean 'orderHistoryRestClient'")
            .withMessageContaining("Call through 'billingRestClient'");
    }

    @Test
    void aNameNoClientHasFailsEverywhereListingTheConfiguredOnes() {
        for (String dedicated : new String[] { null, "WebClient" }) {
            assertThatIllegalArgumentException().isThrownBy(() -> orders.selects("shipping", dedicated))
                .withMessageContaining("'shipping'")
                .withMessageContaining("configured: [");
            assertThatIllegalArgumentException().isThrownBy(() -> orders.selects(42, dedicated))
                .withMessageContaining("'42'");
        }
    }
}
