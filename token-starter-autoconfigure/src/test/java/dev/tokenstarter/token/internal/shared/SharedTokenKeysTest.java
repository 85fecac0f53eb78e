package dev.tokenstarter.token.internal.shared;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The key layout: one Redis Cluster hash tag for every key of a client (the slots themselves, as a cluster
 * computes them, are checked in {@link SharedTokensClusterTest}).
 */
class SharedTokenKeysTest {

    @Test
    void aPrefixWithoutAHashTagIsUsedInBraces() {
        SharedTokenStore store = store("orders-api");
        assertThat(store.entryKey()).isEqualTo("{orders-api}:entry");
        assertThat(store.leaseKey()).isEqualTo("{orders-api}:lease");
        assertThat(store.rejectionRefetchKey()).isEqualTo("{orders-api}:rejection-refetch");
        assertThat(store.channel()).isEqualTo("{orders-api}:published");
    }

    @Test
    void aPrefixWithItsOwnHashTagKeepsIt() {
        assertThat(store("orders:{eu}").entryKey()).isEqualTo("orders:{eu}:entry");
        assertThat(store("token-starter:{app:api:0123456789abcdef}").leaseKey())
            .isEqualTo("token-starter:{app:api:0123456789abcdef}:lease");
    }

    @Test
    void anEmptyOrUnclosedBraceIsNoHashTag() {
        assertThat(SharedTokenStore.hashTag("a{}b:entry")).isNull();
        assertThat(SharedTokenStore.hashTag("a{b:entry")).isNull();
        assertThat(SharedTokenStore.hashTag("a}b{c}")).isEqualTo("c");
        assertThat(store("a{}b").entryKey()).isEqualTo("{a{}b}:entry");
        assertThat(SharedTokenStore.hashTag(store("a{}b").entryKey())).isEqualTo("a{");
        assertThat(store("a}b").entryKey()).isEqualTo("{a}b}:entry");
    }

    @Test
    void aPrefixStartingWithAClosingBraceCannotBeTagged() {
        assertThatIllegalArgumentException().isThrownBy(() -> store("}orders"))
            .withMessageContaining("starts with '}'");
    }

    private static SharedTokenStore store(String prefix) {
        return new SharedTokenStore(new LettuceConnectionFactory(), prefix);
    }
}
