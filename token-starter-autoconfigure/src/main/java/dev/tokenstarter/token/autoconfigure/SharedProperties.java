package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Sharing one token, one refresh and one refresh lock across every instance of the application, through
 * the application's own Redis (Spring Data Redis with Lettuce, {@code spring.data.redis.*}).
 * The {@code shared.*} keys of a client ({@link TokenClientProperties}).
 */
public class SharedProperties {

    /**
     * Whether the instances share this client's token through Redis: one token request per token
     * lifetime for the whole fleet instead of one per instance. Needs Spring Data Redis with Lettuce
     * and a RedisConnectionFactory.
     */
    private boolean enabled;

    /**
     * Prefix of the Redis keys of this client's token, refresh lease and publication channel. Default:
     * token-starter:{APP:CLIENT:DIGEST} (APP is spring.application.name, CLIENT the client name, DIGEST
     * the client identity's digest). The braces are a Redis Cluster hash tag, which puts every key of the
     * client in one slot; a prefix without one is used in braces ({orders}:entry for "orders"). Instances
     * share a token when they use the same prefix and the same client identity (token endpoint or issuer,
     * client id, grant, scopes, audience, resource); an entry of another identity under the prefix is
     * never used.
     */
    private @Nullable String keyPrefix;

    /**
     * Key (256 bits, base64) that encrypts the tokens stored in Redis (AES-GCM, with the client name
     * as associated data). Without it tokens are stored in plain text. Never logged or shown unmasked.
     */
    private @Nullable String encryptionKey;

    /**
     * How long one Redis command may take; after that, or when Redis fails, this instance fetches its
     * own tokens until Redis answers again.
     */
    private Duration commandTimeout = Duration.ofMillis(500);

    /** Creates sharing settings with the defaults: disabled. */
    public SharedProperties() {
    }

    /** {@return whether the instances share this client's token through Redis} */
    public boolean isEnabled() {
        return this.enabled;
    }

    /** Sets whether the instances share this client's token through Redis.
     * @param enabled whether to share the token */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return the prefix of this client's Redis keys, or {@code null} for the default} */
    public @Nullable String getKeyPrefix() {
        return this.keyPrefix;
    }

    /** Sets the prefix of this client's Redis keys.
     * @param keyPrefix the prefix, or {@code null} for the default */
    public void setKeyPrefix(@Nullable String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** {@return the key encrypting the tokens stored in Redis, or {@code null} for plain text} */
    public @Nullable String getEncryptionKey() {
        return this.encryptionKey;
    }

    /** Sets the key encrypting the tokens stored in Redis.
     * @param encryptionKey the key (256 bits, base64), or {@code null} for plain text */
    public void setEncryptionKey(@Nullable String encryptionKey) {
        this.encryptionKey = encryptionKey;
    }

    /** {@return how long one Redis command may take} */
    public Duration getCommandTimeout() {
        return this.commandTimeout;
    }

    /** Sets how long one Redis command may take.
     * @param commandTimeout the timeout */
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    public String toString() {
        return "Shared[enabled=" + this.enabled + ", keyPrefix=" + this.keyPrefix + ", encryptionKey="
                + ((this.encryptionKey != null) ? "…" : "none") + ", commandTimeout=" + this.commandTimeout + "]";
    }
}
