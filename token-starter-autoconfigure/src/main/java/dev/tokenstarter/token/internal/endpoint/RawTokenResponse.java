package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Collection;

import dev.tokenstarter.token.endpoint.MalformedTokenResponseException;

/**
 * A token endpoint's answer as it arrived, with the request's secrets, and what a message may say about it:
 * the type and size of its body, never the body itself, since it may hold a token.
 */
record RawTokenResponse(URI uri, int status, @Nullable String contentType, byte[] body, Collection<String> secrets) {

    String describeBody() {
        String type = (contentType != null) ? QuotedText.sanitize(contentType) : "no content type";
        return type + ", " + body.length + " bytes";
    }

    MalformedTokenResponseException malformed(String problem) {
        return new MalformedTokenResponseException(uri, status, problem);
    }
}
