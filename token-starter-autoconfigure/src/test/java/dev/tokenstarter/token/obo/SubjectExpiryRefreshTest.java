package dev.tokenstarter.token.obo;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Cache;

import org.springframework.security.core.Authentication;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenProvider;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.obo.IncomingToken;
import dev.tokenstarter.token.internal.obo.SubjectTokens;

import dev.tokenstarter.token.support.MutableClock;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

import static dev.tokenstarter.token.obo.JwtBearerClient.callWithRestClient;
import static dev.tokenstarter.token.obo.Subjects.as;
import static dev.tokenstarter.token.obo.Subjects.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
    /**
     * Review finding: the map from a token to its subject (for the API's answers) held its subjects strongly,
     * and each subject held its token, so no subject, exchanged token or subject token was ever let go.
     */
    @Test
    void aSubjectWhoseEntryLeftTheCacheIsLetGoWithItsTokens() throws InterruptedException {
        Authentication shortLived = bearer("incoming-ten-minutes", START, START.plus(Duration.ofMinutes(10)));
        Authentication longLived = bearer("incoming-one-hour", START, START.plus(Duration.ofHours(1)));
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            SubjectTokens provider = (SubjectTokens) context.getBean(TokenProvider.class);
            WeakReference<AccessToken> exchanged = new WeakReference<>(as(shortLived, provider::getToken));
            as(longLived, provider::getToken); // the last exchange, which health remembers, is another subject's

            clock.advance(Duration.ofMinutes(10));
            as(longLived, provider::getToken);
            provider.cache().cleanUp();
            assertThat(provider.cache().asMap()).hasSize(1);

            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (exchanged.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(exchanged.get()).as("the token exchanged for a subject no longer cached").isNull();
        });
    }
    /**
     * Review finding: a cached token was handed out without the subject token's own check, and a token cut to
     * a subject with little time left has a short lifetime, so its own margin (a quarter of it) is shorter
     * than the client's. Calls stop {@code refresh.expiry-margin} (5 s) before the subject token expires.
     */
    @Test
    void aCachedTokenIsNotHandedOutWithinTheMarginBeforeItsSubjectTokenExpires() {
        Authentication user = bearer("incoming-twelve-seconds", START, START.plus(Duration.ofSeconds(12)));
        JwtBearerClient.runner(endpoint, clock).run((context) -> {
            SubjectTokens provider = (SubjectTokens) context.getBean(TokenProvider.class);
            assertThat(as(user, provider::getToken)).isNotNull();

            clock.advance(Duration.ofSeconds(8)); // 4 s left: inside the 5 s margin, outside the token's own 3 s

            assertThatExceptionOfType(TokenUnavailableException.class).isThrownBy(() -> as(user, provider::getToken))
                .withMessageContaining("the incoming token expires at " + START.plus(Duration.ofSeconds(12)));
            assertThatExceptionOfType(TokenUnavailableException.class)
                .isThrownBy(() -> as(user, () -> provider.token().block()));
        });
    }
}
