package dev.tokenstarter.token.internal.obo;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import dev.tokenstarter.token.AccessToken;
import dev.tokenstarter.token.TokenListener;
import dev.tokenstarter.token.TokenState;
import dev.tokenstarter.token.TokenUnavailableException;
import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.TokenFeedback;
import dev.tokenstarter.token.internal.TokenSource;

/**
 * The tokens of an on-behalf-of client with mode EXCHANGE: one per incoming token (subject), obtained with the
 * client's grant and that token as its subject, and cached per subject in a bounded Caffeine cache keyed by
 * the subject token (an {@link IncomingToken}). Each subject has its own {@link CachingTokenProvider}, so single flight, the
 * expiry margins, backoff and the limit on refetches after a 401 hold per subject; a token is never reused
 * past its subject token's expiry (it is cut to it), and an entry leaves the cache when its subject token
 * expires, or as the least used when the bound is reached: the subject token is held no longer than that.
 * <p>
 * Nothing is fetched at startup and nothing is refreshed on a schedule: a subject's token is fetched when a
 * request served for it needs one. The 401 of a request invalidates its subject's token only.
 */
public final class SubjectTokens implements PerCallerTokens, TokenFeedback {

    private final IncomingTokens incoming;

    private final Function<IncomingToken, TokenSource> endpoints;

    private final BiFunction<IncomingToken, TokenSource, CachingTokenProvider> providers;

    private final Clock clock;

    private final Cache<IncomingToken, Subject> subjects;

    /**
     * The latest time a look-up read from the clock, never going back: the cache's expiry runs on it, so that a
     * look-up reads the clock once (for the cache and the subject's token). Between look-ups it stands still,
     * as the cache's maintenance does (it runs when the cache is used).
     */
    private volatile long lookupMillis;

    /** Adds a subject on a miss (a field, so that a look-up allocates nothing). */
    private final Function<IncomingToken, Subject> newSubject = this::newSubject;

    /**
     * Which subject a token was obtained for (by the token's identity): the API's answers go to it. Weak on
     * both sides: a subject holds its token, so a strong value would keep both, and the subject token, for
     * good; the subjects cache alone decides how long a subject lives.
     */
    private final Cache<AccessToken, Subject> owners = Caffeine.newBuilder().weakKeys().weakValues().build();

    private final LongAdder exchanged = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final LongAdder rejected = new LongAdder();

    /** Whether any token was ever rejected: until then an acceptance needs no look-up. */
    private volatile boolean rejections;

    /** The state of the subject whose token request ended last, for health. */
    private volatile TokenState last = TokenState.INITIAL;

    /**
     * @param client the client name, for messages
     * @param maxEntries the most subjects kept
     * @param expiryMargin how long before its expiry a subject token is no longer acted for (the client's
     * {@code refresh.expiry-margin}): a token obtained for it then would not outlive the margin either
     * @param clock the clock expiry is judged by
     * @param endpoints makes the source of one subject's tokens: the client's grant with that subject
     * @param providers makes the provider of one subject around the source given
     */
    public SubjectTokens(String client, int maxEntries, Duration expiryMargin, Clock clock,
            Function<IncomingToken, TokenSource> endpoints,
            BiFunction<IncomingToken, TokenSource, CachingTokenProvider> providers) {
        this.incoming = new IncomingTokens(client, clock, expiryMargin);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.subjects = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new UntilSubjectExpires())
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(lookupMillis))
            // maintenance (evictions, expiries) in batches on the calling thread: handing each batch to the
            // common pool costs more than the work itself, on the hot path
            .executor(Runnable::run)
            .recordStats()
            .build();
    }

    /**
     * The source of a subject's tokens: the endpoint's, cut to the subject token's expiry and without a refresh
     * token (a new one is obtained with the subject token, never past it). A token that was cut is kept when it
     * falls due: a new one would be cut to the same instant; only a rejected one is replaced.
     */
    private TokenSource cutToSubject(TokenSource endpoint, IncomingToken subject) {
        return new TokenSource() {

            @Override
            public Mono<AccessToken> fetch(@Nullable AccessToken previous) {
                return fetch(previous, FetchReason.DUE);
            }

            @Override
            public Mono<AccessToken> fetch(@Nullable AccessToken previous, FetchReason reason) {
                Instant subjectExpiry = subject.expiresAt();
                if (previous != null && reason == FetchReason.DUE && previous.expiresAt().equals(subjectExpiry)) {
                    return Mono.just(previous);
                }
                return endpoint.fetch(null).map((token) -> {
                    exchanged.increment();
                    return cut(token, subjectExpiry);
                });
            }
        };
    }

    private static AccessToken cut(AccessToken token, @Nullable Instant subjectExpiry) {
        Instant expiresAt = (subjectExpiry != null && subjectExpiry.isBefore(token.expiresAt())) ? subjectExpiry
                : token.expiresAt();
        if (!expiresAt.isAfter(token.issuedAt())) {
            throw new TokenUnavailableException("The incoming token expired before the token obtained for it could "
                    + "be used", null);
        }
        return new AccessToken(token.value(), token.tokenType(), token.issuedAt(), expiresAt, null, token.scopes(),
                token.refreshHint());
    }

    @Override
    public Mono<AccessToken> token() {
        return incoming.reactive().flatMap((subject) -> {
            long now = lookupTime();
            CachingTokenProvider provider = subjects.get(subject, newSubject).provider();
            AccessToken cached = provider.cachedToken(now);
            if (cached != null && incoming.isUsable(subject, now)) {
                return Mono.just(cached);
            }
            incoming.requireUnexpired(subject); // thrown here, it is the Mono's error
            return provider.token();
        });
    }

    /**
     * The hot path, a subject with a valid token: one clock read, one look-up (counted once, hit or miss) and
     * the provider's check of its token. Otherwise the subject token's own expiry is checked before its provider fetches (or waits
     * for) a token, as it is before a new subject is added.
     */
    @Override
    public AccessToken getToken() {
        IncomingToken subject = incoming.current();
        long now = lookupTime();
        CachingTokenProvider provider = subjects.get(subject, newSubject).provider();
        AccessToken cached = provider.cachedToken(now);
        if (cached != null && incoming.isUsable(subject, now)) {
            return cached;
        }
        incoming.requireUnexpired(subject);
        return provider.getToken();
    }

    /** Reads the clock for a look-up, and moves the cache's time to it. */
    private long lookupTime() {
        long now = clock.millis();
        if (now > lookupMillis) {
            lookupMillis = now; // written at most once a millisecond, mostly: the field is read far more often
        }
        return now;
    }

    private Subject newSubject(IncomingToken token) {
        incoming.requireUnexpired(token);
        Subject[] made = new Subject[1];
        CachingTokenProvider provider = providers.apply(token, cutToSubject(endpoints.apply(token), token));
        made[0] = new Subject(provider, token.expiresAt());
        provider.addListener(new TokenListener() {

            @Override
            public void onTokenFetched(AccessToken fetched) {
                owners.put(fetched, made[0]);
                last = made[0].provider().state();
            }

            @Override
            public void onFetchFailed(Throwable error, TokenState state) {
                failed.increment();
                last = state;
            }
        });
        return made[0];
    }

    @Override
    public boolean rejected(AccessToken token, int status) {
        rejections = true;
        rejected.increment();
        Subject subject = owners.getIfPresent(token);
        // a token no longer known was evicted with its subject: the retry obtains a new one
        return (subject == null) || subject.provider().rejected(token, status);
    }

    @Override
    public void accepted(AccessToken token) {
        if (!rejections) {
            return;
        }
        Subject subject = owners.getIfPresent(token);
        if (subject != null) {
            subject.provider().accepted(token);
        }
    }

    @Override
    public void invalidate(@Nullable AccessToken rejected) {
        Subject subject = (rejected != null) ? owners.getIfPresent(rejected) : null;
        if (subject != null) {
            subject.provider().invalidate(rejected);
        }
    }

    /**
     * How the last token request of any subject went (its time, failures and error), without a token: each
     * subject has its own. The refresh count is the number of tokens obtained for all subjects.
     */
    @Override
    public TokenState state() {
        TokenState state = last;
        return new TokenState(null, state.lastRefresh(), exchanged.sum(), state.consecutiveFailures(), state.lastError(),
                state.lastFailure(), state.nextAttemptAt(), rejected.sum(), false, 0, 0, state.lastRejectionAt(),
                state.lastRejectionStatus());
    }

    @Override
    public String mode() {
        return "exchange";
    }

    @Override
    public long subjects() {
        return cache().estimatedSize();
    }

    /** The cache of subjects, for its metrics (entries, hits, misses, evictions). */
    public Cache<IncomingToken, ?> cache() {
        return subjects;
    }

    /** {@return how many tokens were obtained for subjects} */
    public long exchanged() {
        return exchanged.sum();
    }

    /** {@return how many token requests for subjects failed} */
    public long failedExchanges() {
        return failed.sum();
    }

    @Override
    public String toString() {
        return "SubjectTokens[" + subjects.estimatedSize() + " subjects]";
    }

    /** One subject's provider, and when its subject token expires ({@code null}: not known). */
    private record Subject(CachingTokenProvider provider, @Nullable Instant expiresAt) {
    }

    /** An entry lives until its subject token expires, if that is known; the bound evicts the rest. */
    private final class UntilSubjectExpires implements Expiry<IncomingToken, Subject> {

        @Override
        public long expireAfterCreate(IncomingToken key, Subject subject, long currentTime) {
            Instant expiresAt = subject.expiresAt();
            if (expiresAt == null) {
                return Long.MAX_VALUE;
            }
            // the cache's time is the look-ups' clock (see lookupMillis), in nanoseconds
            return Math.max(0, TimeUnit.MILLISECONDS.toNanos(expiresAt.toEpochMilli()) - currentTime);
        }

        @Override
        public long expireAfterUpdate(IncomingToken key, Subject subject, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(IncomingToken key, Subject subject, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
