package dev.tokenstarter.token;

import org.jspecify.annotations.Nullable;

import java.net.URI;

/**
 * Masks secret values (tokens, client secrets, passwords) for anything a person may read: logs,
 * exception messages, {@code toString()}, health details.
 */
public final class Secrets {

    private static final int VISIBLE_CHARS = 4;

    private Secrets() {
    }

    /**
     * The scheme, host, port and path of {@code uri}: no user info, query or fragment, which some
     * non-standard endpoints use for keys. A URI that is not hierarchical (a mistyped {@code user:pw@host}
     * parses as scheme {@code user}) shows its scheme only, since the rest cannot be told apart.
     * @param uri the URI to print, may be {@code null}
     * @return a printable form without credentials
     */
    public static String redact(@Nullable URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.isOpaque()) {
            return uri.getScheme() + ":…";
        }
        if (uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
            return uri.toString();
        }
        StringBuilder printed = new StringBuilder();
        if (uri.getScheme() != null) {
            printed.append(uri.getScheme()).append(':');
        }
        String authority = uri.getRawAuthority();
        if (authority != null) {
            // the raw authority, not getHost(), which is null for names such as auth_host
            printed.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        if (uri.getRawPath() != null) {
            printed.append(uri.getRawPath());
        }
        return (uri.getRawQuery() != null) ? printed + "?…" : printed.toString();
    }

    /**
     * A configured location for a message: quoted when it reads as one ({@code file:}, {@code classpath:}, an
     * absolute or relative path), else not shown, since a key or token pasted where its location belongs
     * (base64, PEM, a JWT) must not end up in a log.
     * @param location the configured value
     * @return {@code 'location'}, or a phrase saying the value is not shown
     */
    public static String location(String location) {
        String value = location.trim();
        boolean looksLikeLocation = value.length() <= 512 && !value.contains("-----") && value.chars().noneMatch(Character::isWhitespace)
                && (value.startsWith("file:") || value.startsWith("classpath:") || value.startsWith("/")
                        || value.startsWith("./") || value.startsWith("../") || value.startsWith("~"));
        return looksLikeLocation ? "'" + value + "'" : "its value (not shown: it may be a key or token)";
    }

    /**
     * Returns the first four characters followed by an ellipsis, {@code "…"} for values of eight
     * characters or fewer (too short to show any part safely), or {@code "null"}.
     * @param secret the value to mask, may be {@code null}
     * @return a masked representation that never contains the whole secret
     */
    public static String mask(@Nullable String secret) {
        if (secret == null) {
            return "null";
        }
        if (secret.length() <= 2 * VISIBLE_CHARS) {
            return "…";
        }
        return secret.substring(0, VISIBLE_CHARS) + "…";
    }
}
