package dev.tokenstarter.token.test;

import java.util.Objects;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an endpoint counted and recorded since it started or its counts were reset: the token requests (each
 * recorded as it arrived), the tokens issued, the refreshes and refresh token reuses, and the API calls by
 * the status of the token they presented (and each API request, if the endpoint records them).
 */
final class EndpointCounts {

    private final AtomicInteger requests = new AtomicInteger();

    private final AtomicInteger issued = new AtomicInteger();

    private final AtomicInteger refreshTokenReuses = new AtomicInteger();

    private final AtomicInteger refreshes = new AtomicInteger();

    private final Queue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();

    private final Queue<RecordedRequest> recordedApiRequests = new ConcurrentLinkedQueue<>();

    private final Map<TokenStatus, AtomicInteger> apiCalls = new EnumMap<>(TokenStatus.class);

    EndpointCounts() {
        for (TokenStatus status : TokenStatus.values()) {
            apiCalls.put(status, new AtomicInteger());
        }
    }

    /** Counts a token request as soon as it arrives, before its body is read. */
    void requestArrived() {
        requests.incrementAndGet();
    }

    void record(RecordedRequest request) {
        recorded.add(request);
    }

    void recordApiRequest(RecordedRequest request) {
        recordedApiRequests.add(request);
    }

    void issued() {
        issued.incrementAndGet();
    }

    void refreshTokenReused() {
        refreshTokenReuses.incrementAndGet();
    }

    void refreshed() {
        refreshes.incrementAndGet();
    }

    void apiCall(TokenStatus status) {
        Objects.requireNonNull(apiCalls.get(status)).incrementAndGet();
    }

    int requestCount() {
        return requests.get();
    }

    int issuedCount() {
        return issued.get();
    }

    int refreshTokenReuses() {
        return refreshTokenReuses.get();
    }

    int refreshCount() {
        return refreshes.get();
    }

    List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    List<RecordedRequest> apiRequests() {
        return List.copyOf(recordedApiRequests);
    }

    int apiCalls(TokenStatus status) {
        return Objects.requireNonNull(apiCalls.get(status)).get();
    }

    int apiCalls() {
        return apiCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    void reset() {
        requests.set(0);
        issued.set(0);
        refreshTokenReuses.set(0);
        refreshes.set(0);
        recorded.clear();
        recordedApiRequests.clear();
        apiCalls.values().forEach((count) -> count.set(0));
    }
}
