package dev.tokenstarter.token;

/**
 * Masks secret values (tokens, client secrets, passwords) for anything a person may read: logs,
 * exception messages, {@code toString()}, health details.
 */
public final class Secrets {

    private static final int VISIBLE_CHARS = 4;

    private Secrets() {
    }

    /**
     * Returns the first four characters followed by an ellipsis, {@code "…"} for values of eight
     * characters or fewer (too short to show any part safely), or {@code "null"}.
     * @param secret the value to mask, may be {@code null}
     * @return a masked representation that never contains the whole secret
     */
    public static String mask(String secret) {
        if (secret == null) {
            return "null";
        }
        if (secret.length() <= 2 * VISIBLE_CHARS) {
            return "…";
        }
        return secret.substring(0, VISIBLE_CHARS) + "…";
    }
}
