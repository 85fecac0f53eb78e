package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootVersion;
import org.springframework.util.ClassUtils;

/**
 * The application runs a Spring Boot older than the starter needs (4.1). Checked before any client bean is
 * registered, so that an application on Spring Boot 4.0 stops at startup with that said, rather than with a
 * {@code NoClassDefFoundError} from the token endpoint's HTTP client settings at the first token request.
 */
class UnsupportedSpringBootException extends IllegalStateException {

    /** The oldest Spring Boot the starter runs on. */
    static final String MINIMUM = "4.1";

    /** A type new in Spring Boot 4.1 that the starter uses (the token endpoint's client refuses cookies). */
    static final String MARKER = "org.springframework.boot.http.client.HttpCookieHandling";

    private final String found;

    UnsupportedSpringBootException(String found) {
        super("token-starter needs Spring Boot " + MINIMUM + " or newer; this application runs Spring Boot " + found
                + " (" + MARKER + ", new in " + MINIMUM + ", is missing)");
        this.found = found;
    }

    /** The Spring Boot version found, or {@code unknown}. */
    String found() {
        return found;
    }

    /** Throws when the class loader's Spring Boot is older than {@value #MINIMUM}. */
    static void check(@Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(MARKER, classLoader)) {
            String version = SpringBootVersion.getVersion();
            throw new UnsupportedSpringBootException((version != null) ? version : "unknown");
        }
    }
}
