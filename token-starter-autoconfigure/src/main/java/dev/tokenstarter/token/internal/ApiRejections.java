package dev.tokenstarter.token.internal;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The API's rejections of a provider's tokens, as {@link RejectionRefetchLimit} counts them.
 *
 * @param total tokens rejected
 * @param streak tokens rejected in a row since a call with a token last succeeded
 * @param withoutRefetch rejections answered without a new token request
 * @param lastAt when the last rejection happened, or {@code null}
 * @param lastStatus its HTTP status, or 0
 */
record ApiRejections(long total, int streak, long withoutRefetch, @Nullable Instant lastAt, int lastStatus) {

    static final ApiRejections NONE = new ApiRejections(0, 0, 0, null, 0);

    ApiRejections rejected(boolean newToken, boolean refetch, Instant at, int status) {
        return new ApiRejections(total + (newToken ? 1 : 0), streak + (newToken ? 1 : 0),
                withoutRefetch + (refetch ? 0 : 1), at, status);
    }

    ApiRejections accepted() {
        return new ApiRejections(total, 0, withoutRefetch, lastAt, lastStatus);
    }
}
