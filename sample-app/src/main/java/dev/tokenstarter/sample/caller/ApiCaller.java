package dev.tokenstarter.sample.caller;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Calls the API every few seconds: usually through the injected WebClient (non-blocking), every fifth time
 * through the injected RestClient. Neither sets a token: the starter does.
 */
@Component
public class ApiCaller {

    private static final Logger logger = LoggerFactory.getLogger(ApiCaller.class);

    private final WebClient webClient;

    private final RestClient restClient;

    private final String path;

    private final AtomicLong calls = new AtomicLong();

    private final AtomicLong successes = new AtomicLong();

    private final AtomicLong unauthorized = new AtomicLong();

    private final AtomicLong failures = new AtomicLong();

    public ApiCaller(@Qualifier("apiWebClient") WebClient webClient, @Qualifier("apiRestClient") RestClient restClient,
            @Value("${sample.path:/orders}") String path) {
        this.webClient = webClient;
        this.restClient = restClient;
        this.path = path;
    }

    @Scheduled(initialDelayString = "${sample.initial-delay:1s}", fixedDelayString = "${sample.call-interval:3s}")
    void call() {
        long number = calls.incrementAndGet();
        if (number % 5 == 0) {
            callWithRestClient(number);
        }
        else {
            callWithWebClient(number);
        }
    }

    private void callWithWebClient(long number) {
        webClient.get().uri(path).retrieve().bodyToMono(String.class)
            .subscribe((body) -> succeeded(number, "WebClient", body), (error) -> failed(number, "WebClient", error));
    }

    private void callWithRestClient(long number) {
        try {
            succeeded(number, "RestClient", restClient.get().uri(path).retrieve().body(String.class));
        }
        catch (RuntimeException ex) {
            failed(number, "RestClient", ex);
        }
    }

    private void succeeded(long number, String client, String body) {
        successes.incrementAndGet();
        logger.info("Call #{} via {}: OK, {} bytes", number, client, (body != null) ? body.length() : 0);
    }

    private void failed(long number, String client, Throwable error) {
        boolean rejected = (error instanceof WebClientResponseException.Unauthorized)
                || (error instanceof RestClientResponseException response && response.getStatusCode().value() == 401);
        (rejected ? unauthorized : failures).incrementAndGet();
        logger.warn("Call #{} via {}: FAILED: {}", number, client, error.getMessage());
    }

    public long successes() {
        return successes.get();
    }

    public long unauthorized() {
        return unauthorized.get();
    }

    public long failures() {
        return failures.get();
    }
}
