package dev.tokenstarter.token.internal.endpoint;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.tokenstarter.token.Secrets;

/**
 * Text from a token endpoint's answer made fit to quote in a message: control characters replaced, length
 * capped, and the request's secrets masked wherever the endpoint repeats one.
 */
final class QuotedText {

    private static final int MAX_DESCRIPTION_CHARS = 200;

    private QuotedText() {
    }

    /** {@code text} with every occurrence of a secret masked, longest first so none is masked only in part. */
    static String masked(String text, Collection<String> secrets) {
        List<String> longestFirst = secrets.stream()
            .filter((secret) -> !secret.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
        for (String secret : longestFirst) {
            text = text.replace(secret, Secrets.mask(secret));
        }
        return text;
    }

    static String sanitize(String text) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_DESCRIPTION_CHARS));
        for (int i = 0; i < text.length() && clean.length() < MAX_DESCRIPTION_CHARS; i++) {
            char c = text.charAt(i);
            clean.append((c < 0x20 || c == 0x7F) ? '?' : c);
        }
        return (text.length() > MAX_DESCRIPTION_CHARS) ? clean + "…" : clean.toString();
    }
}
