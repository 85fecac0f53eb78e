package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Where a credential comes from for each token request: exactly one of a value, a file or a bean.
 * The {@code token-exchange.subject-token.*}, {@code token-exchange.actor-token.*} and
 * {@code jwt-bearer.assertion.*} keys of a client ({@link TokenClientProperties}).
 */
public class CredentialProperties {

    /**
     * The value itself. Never logged or shown unmasked.
     */
    private @Nullable String value;

    /**
     * Path of a file holding the value (a file: prefix is allowed), read again whenever it changes, such
     * as a Kubernetes projected service account token.
     */
    private @Nullable String location;

    /**
     * Name of a bean of type dev.tokenstarter.token.endpoint.CredentialSource that supplies the value.
     */
    private @Nullable String bean;

    /** Creates a credential source with none of value, location or bean set. */
    public CredentialProperties() {
    }

    /** {@return the credential's value, or {@code null}} */
    public @Nullable String getValue() {
        return this.value;
    }

    /** Sets the credential's value.
     * @param value the value */
    public void setValue(@Nullable String value) {
        this.value = value;
    }

    /** {@return the path of the file holding the value, or {@code null}} */
    public @Nullable String getLocation() {
        return this.location;
    }

    /** Sets the path of the file holding the value.
     * @param location the path */
    public void setLocation(@Nullable String location) {
        this.location = location;
    }

    /** {@return the name of the CredentialSource bean supplying the value, or {@code null}} */
    public @Nullable String getBean() {
        return this.bean;
    }

    /** Sets the name of the CredentialSource bean supplying the value.
     * @param bean the bean name */
    public void setBean(@Nullable String bean) {
        this.bean = bean;
    }

    /** How many of value, location and bean are set. */
    int sources() {
        return (hasText(this.value) ? 1 : 0) + (hasText(this.location) ? 1 : 0) + (hasText(this.bean) ? 1 : 0);
    }

    private static boolean hasText(@Nullable String text) {
        return text != null && !text.isBlank();
    }
}
