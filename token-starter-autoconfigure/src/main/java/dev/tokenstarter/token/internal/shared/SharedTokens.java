package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.tokenstarter.token.internal.CachingTokenProvider;
import dev.tokenstarter.token.internal.FetchReason;
import dev.tokenstarter.token.internal.RefreshTiming;
import dev.tokenstarter.token.Ticker;
import dev.tokenstarter.token.internal.TokenOffers;
import dev.tokenstarter.token.internal.TokenSource;

/**
 * A client's token shared by every instance through Redis: {@link #share} puts it in front of the token
 * endpoint's {@link TokenSource}, so the {@link CachingTokenProvider} keeps deciding when and why a token is
 * needed ({@link FetchReason}) and this decides where it comes from.
 * <ol>
 * <li>The stored entry, if it belongs to this client's identity, is usable, was not rejected and is not the
 * token to replace (another instance has refreshed already);</li>
 * <li>else the refresh lease: the winner fetches from the endpoint (with the newest refresh token of the
 * fleet), stores the token fenced by its remaining lifetime, which publishes it, and releases the lease. It
 * renews the lease while its fetch runs, however many requests that takes, so no other instance redeems the
 * same refresh token;</li>
 * <li>the others wait for the publication (no polling: they read again when it arrives, or when the
 * holder's lease would have run out), for at most half the wait timeout, then fetch on their own with the
 * base grant, never with the fleet's refresh token.</li>
 * </ol>
 * Only a fetch because the token was {@linkplain FetchReason#REJECTED rejected} is limited for the fleet: it
 * marks that token rejected in Redis and the lease holder claims the fleet's one such refetch per
 * {@code rejectionRefetchInterval}. An instance denied it waits for the publication of the replacement or
 * for the claim to run out (a token it knows is rejected is never handed back: on an API that rejects every
 * token its callers wait up to the interval, bounded by half the wait timeout, instead of getting the 401 at
 * once); an API accepting a token again frees it. Stored expiry is
 * a remaining lifetime ({@code PTTL}): each reader adds it to its own clock. Redis is never on the hot path:
 * the provider asks only when its token enters the refresh window, at startup, and after a 401; publications
 * are offered to the provider as they arrive. Any Redis failure or timeout makes this instance fetch its own
 * tokens (one WARN, {@link SharedTokenStatus#degraded()}, counted in {@link SharedTokenStatus#fallbacks()})
 * until Redis answers again, tried at most once a second. {@link #status()} is what health and metrics show.
 * <p>
 * The provider needs this source, and sharing needs the provider (to offer it other instances' tokens and hear
 * of its rejections): {@link #share} breaks that cycle by building the provider itself, through a function
 * given what puts the fleet in front of the token endpoint, and connects to the provider once it exists. So
 * there is no order of calls to keep and no half-wired state: one constructor, one {@code share}.
 */
public final class SharedTokens implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(SharedTokens.class);

    private final String client;

    private final Settings settings;

    private final RefreshTiming timing;

    private final SharedTokenCounters counters;

    private final SharedTokenConnection connection;

    private final PublicationCount publications = new PublicationCount();

    private final Duration leaseTtl;

    private final AtomicBoolean shared = new AtomicBoolean();

    /** What {@link #share} connected, for {@link #close}; {@code null} before. */
    private volatile @Nullable Sharing sharing;

    /**
     * @param client the client name (the associated data of encrypted tokens, and in messages)
     * @param connectionFactory the application's Redis
     * @param settings the keys, identity and limits
     * @param timing the provider's timing: what counts as usable, and the wait timeout
     * @param clock the provider's clock
     * @param ticker the provider's monotonic source
     */
    public SharedTokens(String client, ReactiveRedisConnectionFactory connectionFactory, Settings settings,
            RefreshTiming timing, Clock clock, Ticker ticker) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = settings;
        SharedTokenStore store = new SharedTokenStore(connectionFactory, settings.keyPrefix());
        SharedTokenCodec codec = new SharedTokenCodec(client, settings.encryptionKey());
        this.timing = Objects.requireNonNull(timing, "timing");
        this.counters = new SharedTokenCounters(codec);
        this.connection = new SharedTokenConnection(client, store, codec, settings.identity(), settings.commandTimeout(),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(ticker, "ticker"), counters);
        this.leaseTtl = SharedTokenSource.leaseTtl(timing.waitTimeout().dividedBy(2), settings.commandTimeout());
        if (!codec.encrypts()) {
            logger.warn("Tokens of client '" + client + "' are stored in Redis in plain text; set shared.encryption-key "
                    + "to a 256-bit key in base64 to encrypt them");
        }
    }

    /**
     * The digest of what defines a client's token (token endpoint or issuer, client id, grant, scopes,
     * audience, resource, …): instances share an entry only when theirs are equal. It is part of the default
     * key prefix, so with an encryption key it is an HMAC under that key: values such as extra parameters
     * cannot be guessed back from it.
     * @param attributes the defining values by name; {@code null} values are left out, collections sorted
     * @param encryptionKey the 256-bit key in base64 tokens are encrypted with, or {@code null}
     * @return 16 hex digits of their HMAC-SHA256 (SHA-256 without a key)
     */
    public static String identity(Map<String, ? extends @Nullable Object> attributes, @Nullable String encryptionKey) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(attributes).forEach((name, value) -> {
            if (value != null) {
                Object normalized = (value instanceof Collection<?> values)
                        ? values.stream().map(String::valueOf).sorted().toList() : value;
                canonical.append(name).append('=').append(normalized).append('\n');
            }
        });
        String digest = new SharedTokenCodec("identity", encryptionKey).fingerprint(canonical.toString());
        return digest.substring(0, 16);
    }

    /**
     * Builds the provider whose token the fleet shares, and connects to it: other instances' tokens are
     * offered to it as they are published, and an API accepting a token after rejections frees the fleet's
     * refetch. Called once.
     * @param <P> the provider's type
     * @param provider builds the provider, given what puts the fleet in front of a token source: the
     * provider's source must be that operator applied to the token endpoint's source (tokens come from the
     * fleet, from the endpoint when this instance fetches them)
     * @return the provider built
     * @throws IllegalStateException if called again, or if the provider was not given the shared source
     */
    public <P extends TokenOffers> P share(Function<UnaryOperator<TokenSource>, P> provider) {
        if (!shared.compareAndSet(false, true)) {
            throw new IllegalStateException("The token of client '" + client + "' is shared already: a SharedTokens "
                    + "serves one provider");
        }
        AtomicReference<@Nullable SharedTokenSource> source = new AtomicReference<>();
        P built = provider.apply((endpoint) -> {
            SharedTokenSource fleet = new SharedTokenSource(client, settings, timing, connection, counters, publications,
                    Objects.requireNonNull(endpoint, "endpoint"));
            if (!source.compareAndSet(null, fleet)) {
                throw new IllegalStateException("The shared token source of client '" + client + "' is made once, for "
                        + "one token endpoint");
            }
            return fleet;
        });
        SharedTokenSource fleet = source.get();
        if (fleet == null) {
            throw new IllegalStateException("The token provider of client '" + client + "' was built without the "
                    + "shared token source: build it with the source the given operator puts in front of the token "
                    + "endpoint");
        }
        SharedTokenRejections rejections = new SharedTokenRejections(client, connection,
                settings.rejectionRefetchInterval());
        built.addListener(rejections);
        Disposable subscription = new SharedTokenSubscriber(client, connection, counters, publications, timing)
            .offerTo(built);
        sharing = new Sharing(fleet, built, rejections, subscription);
        return built;
    }

    /** What health and metrics show of this client's sharing. */
    public SharedTokenStatus status() {
        return counters;
    }

    /** The refresh lease's time to live: a third of the waiters' bound, at most five seconds. */
    Duration leaseTtl() {
        return leaseTtl;
    }

    /** Stops listening and renewing; a lease this instance holds expires with its ttl. */
    @Override
    public void close() {
        Sharing current = sharing;
        if (current != null) {
            current.source.close();
            current.subscription.dispose();
            current.provider.removeListener(current.rejections);
        }
    }

    @Override
    public String toString() {
        return "SharedTokens[client=" + client + ", degraded=" + counters.degraded() + "]";
    }

    /**
     * What a client's sharing is configured with.
     *
     * @param keyPrefix the prefix of this client's keys
     * @param identity the digest of what defines this client's token ({@link SharedTokens#identity}); an entry
     * with another is never used
     * @param encryptionKey a 256-bit AES key in base64, or {@code null} to store tokens in plain text
     * @param commandTimeout how long one Redis command may take
     * @param rejectionRefetchInterval the shortest time between two token requests of the fleet caused by an
     * API rejecting the stored token; zero for no limit
     * @param refreshTokenGrant whether the configured grant is {@code refresh_token} itself: then no token is
     * requested outside the lease
     */
    public record Settings(String keyPrefix, String identity, @Nullable String encryptionKey, Duration commandTimeout,
            Duration rejectionRefetchInterval, boolean refreshTokenGrant) {

        public Settings {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(rejectionRefetchInterval, "rejectionRefetchInterval");
        }

        @Override
        public String toString() {
            return "Settings[keyPrefix=" + keyPrefix + ", identity=" + identity + ", encryptionKey="
                    + ((encryptionKey != null) ? "…" : "none") + ", commandTimeout=" + commandTimeout
                    + ", rejectionRefetchInterval=" + rejectionRefetchInterval + ", refreshTokenGrant="
                    + refreshTokenGrant + "]";
        }
    }

    /** The parts {@link #share} connected to the provider. */
    private record Sharing(SharedTokenSource source, TokenOffers provider, SharedTokenRejections rejections,
            Disposable subscription) {
    }
}
