package dev.tokenstarter.token.obo;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Cache;

import org.springframework.security.core.Authentication;

import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.internal.obo.IncomingToken;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

import static dev.tokenstarter.token.obo.JwtBearerClient.callWithRestClient;
import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exchanged token cut to its subject token's expiry cannot be bettered by exchanging the same subject token
 * again: a new one would be cut to the same instant. So a user's calls near the end of the subject token's life
 * reuse the token they have ("exactly one exchange per subject while its token lives", issue 25). And the
 * subject token is held no longer than it lives: its entry leaves the cache then.
 */
class SubjectExpiryRefreshTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private final LoopbackTokenEndpoint endpoint = JwtBearerClient.endpoint(clock);

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void callsInTheLastMinuteOfTheSubjectTokenDoNotExchangeItAgain() {
        Authentication user = bearer("incoming-ten-minutes", START, START.plus(Duration.ofMinutes(10)));
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            assertThat(as(user, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
            clock.advance(Duration.ofSeconds(9 * 60 + 30)); // inside the 60 s refresh window, before the 5 s margin
            for (int call = 0; call < 5; call++) {
                assertThat(as(user, () -> callWithRestClient(context, "/orders"))).isEqualTo("[]");
                clock.advance(Duration.ofSeconds(4));
                Thread.sleep(100); // a background refresh, if one started, reaches the endpoint meanwhile
            }
            assertThat(endpoint.requests()).extracting((request) -> request.formParameters().get("assertion"))
                .as("exchanges of one subject token").hasSize(1);
        });
    }

    @Test
    void anEntryLeavesTheCacheWhenItsSubjectTokenExpiresAndTheCacheIsNextUsed() {
        Authentication shortLived = bearer("incoming-ten-minutes", START, START.plus(Duration.ofMinutes(10)));
        Authentication longLived = bearer("incoming-one-hour", START, START.plus(Duration.ofHours(1)));
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            as(shortLived, () -> callWithRestClient(context, "/orders"));
            as(longLived, () -> callWithRestClient(context, "/orders"));
            Cache<?, ?> subjects = ((SubjectTokens) context.getBean(TokenProvider.class)).cache();
            assertThat(subjects.asMap()).hasSize(2);

            clock.advance(Duration.ofMinutes(10));
            as(longLived, () -> callWithRestClient(context, "/orders"));
            subjects.cleanUp();
            assertThat(subjects.asMap().keySet()).as("the subjects held").singleElement()
                .extracting((subject) -> ((IncomingToken) subject).value()).isEqualTo("incoming-one-hour");
        });
    }
}
