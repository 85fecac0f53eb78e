package dev.tokenstarter.token.endpoint;

import java.util.Objects;

/**
 * Where a grant's credential comes from for each token request: the subject or actor token of a token
 * exchange (RFC 8693), the assertion of the JWT bearer grant (RFC 7523 §2.1). Asked once per request, on a
 * thread that may block (never a Netty event loop), so an implementation may read a file or call a
 * blocking API. Define one as a bean to supply a value from anywhere else.
 */
@FunctionalInterface
public interface CredentialSource {

    /**
     * {@return the current value, never empty}
     *
     * @throws IllegalStateException if there is none now; the token request then fails, and is retried
     * under the backoff
     */
    String get();

    /**
     * {@return a source of a fixed value} Its {@code toString()} masks the value.
     *
     * @param value the value
     */
    static CredentialSource of(String value) {
        Objects.requireNonNull(value, "value");
        return new CredentialSource() {

            @Override
            public String get() {
                return value;
            }

            @Override
            public String toString() {
                return "CredentialSource[value]";
            }
        };
    }
}
