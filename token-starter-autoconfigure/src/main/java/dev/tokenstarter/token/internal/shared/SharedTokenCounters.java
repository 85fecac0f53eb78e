package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.LongAdder;

import dev.tokenstarter.token.AccessToken;

/**
 * What health and metrics show of one client's sharing, kept as it happens: counts since startup, why Redis
 * is not used right now, and the fingerprints of the last token fetched here and of the last one marked
 * rejected. The parts of sharing write it; nothing here talks to Redis.
 */
final class SharedTokenCounters implements SharedTokenStatus {

    final LongAdder reads = new LongAdder();

    final LongAdder locksWon = new LongAdder();

    final LongAdder locksLost = new LongAdder();

    final LongAdder publications = new LongAdder();

    final LongAdder fallbacks = new LongAdder();

    final LongAdder rejectionRefetchesDenied = new LongAdder();

    final LongAdder foreignEntries = new LongAdder();

    /** Compares token values with the fingerprints below, which are all this keeps of tokens. */
    private final SharedTokenCodec codec;

    /** Why Redis is not used right now, or {@code null}. */
    private volatile @Nullable Trouble trouble;

    /** The fingerprint of the last token this instance fetched from the endpoint. */
    private volatile @Nullable String fetchedHere;

    /** The fingerprint of the last token this instance knows is marked rejected in Redis. */
    private volatile @Nullable String markedRejected;

    SharedTokenCounters(SharedTokenCodec codec) {
        this.codec = codec;
    }

    @Nullable Trouble trouble() {
        return trouble;
    }

    void trouble(@Nullable Trouble trouble) {
        this.trouble = trouble;
    }

    void noteFetchedHere(AccessToken token) {
        fetchedHere = codec.fingerprint(token.value());
    }

    void noteMarkedRejected(String fingerprint) {
        markedRejected = fingerprint;
    }

    @Override
    public boolean degraded() {
        return trouble != null;
    }

    @Override
    public @Nullable String degradedReason() {
        Trouble current = trouble;
        return (current != null) ? current.reason() : null;
    }

    @Override
    public boolean fetchedHere(String tokenValue) {
        return codec.fingerprint(tokenValue).equals(fetchedHere);
    }

    @Override
    public boolean markedRejected(String tokenValue) {
        String fingerprint = markedRejected;
        return fingerprint != null && codec.fingerprint(tokenValue).equals(fingerprint);
    }

    @Override
    public long reads() {
        return reads.sum();
    }

    @Override
    public long locksWon() {
        return locksWon.sum();
    }

    @Override
    public long locksLost() {
        return locksLost.sum();
    }

    @Override
    public long publicationsReceived() {
        return publications.sum();
    }

    @Override
    public long fallbacks() {
        return fallbacks.sum();
    }

    @Override
    public long rejectionRefetchesDenied() {
        return rejectionRefetchesDenied.sum();
    }

    @Override
    public long foreignEntries() {
        return foreignEntries.sum();
    }

    /**
     * Why Redis is not used, and when it is tried again.
     *
     * @param reason the failure, secret-free
     * @param retryAtNanos the ticker's time from which a fetch tries Redis again
     */
    record Trouble(@Nullable String reason, long retryAtNanos) {
    }
}
