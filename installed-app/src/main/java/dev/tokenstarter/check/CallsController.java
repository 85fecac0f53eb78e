package dev.tokenstarter.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code GET /calls}: calls the API once through each client the starter provides for {@code api} and answers
 * with what each call got, {@code "OK <body>"} or the failure. The caller (InstalledAppIT) checks on the token
 * endpoint's side that every call arrived with a valid token.
 */
@RestController
class CallsController {

    private final WebClient webClient;

    private final RestClient restClient;

    private final CheckedApi httpService;

    CallsController(WebClient apiWebClient, RestClient apiRestClient, CheckedApi httpService) {
        this.webClient = apiWebClient;
        this.restClient = apiRestClient;
        this.httpService = httpService;
    }

    @GetMapping("/calls")
    Map<String, String> calls() {
        Map<String, String> results = new LinkedHashMap<>();
        results.put("webClient", outcome(() -> webClient.get().uri("/web-client").retrieve().bodyToMono(String.class).block()));
        results.put("restClient", outcome(() -> restClient.get().uri("/rest-client").retrieve().body(String.class)));
        results.put("httpService", outcome(httpService::call));
        return results;
    }

    // One failed call must not hide the others' outcomes: each is reported, none thrown.
    private static String outcome(Supplier<String> call) {
        try {
            return "OK " + call.get();
        }
        catch (RuntimeException ex) {
            return "FAILED " + ex;
        }
    }
}
