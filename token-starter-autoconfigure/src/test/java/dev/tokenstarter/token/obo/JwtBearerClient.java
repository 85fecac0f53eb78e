package dev.tokenstarter.token.obo;

import java.time.Clock;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.test.LoopbackTokenEndpoint;

/**
 * The application of the on-behalf-of tests: one client, {@code api}, with the JWT-bearer grant and
 * {@code on-behalf-of.mode=exchange} as Entra ID's on-behalf-of flow wants it, against a loopback endpoint
 * and its API; and its two ways of calling the API.
 */
final class JwtBearerClient {

    private JwtBearerClient() {
    }

    /** An endpoint that acts for subjects and requires {@code requested_token_use=on_behalf_of}. */
    static LoopbackTokenEndpoint endpoint(Clock clock) {
        return LoopbackTokenEndpoint.builder().clock(clock).subjectGrants()
            .requireParameter("requested_token_use", "on_behalf_of").recordApiRequests().start();
    }

    static ApplicationContextRunner runner(LoopbackTokenEndpoint endpoint, Clock clock) {
        return StarterContextRunner.create()
            .withBean("apiAuthClock", Clock.class, () -> clock)
            .withPropertyValues("api.auth.token-uri=" + endpoint.uri(), "api.auth.base-url=" + endpoint.apiUri(),
                    "api.auth.grant-type=jwt-bearer", "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.on-behalf-of.mode=exchange",
                    "api.auth.request.extra-parameters.requested_token_use=on_behalf_of");
    }

    /** Calls the API with the client's RestClient; {@code path} below its base URL. */
    static String callWithRestClient(AssertableApplicationContext context, String path) {
        return context.getBean("apiRestClient", RestClient.class).get().uri(path).retrieve().body(String.class);
    }

    /** Calls the API with the client's WebClient, blocking as an MVC controller would. */
    static String callWithWebClient(AssertableApplicationContext context, String path) {
        return context.getBean("apiWebClient", WebClient.class).get().uri(path).retrieve()
            .bodyToMono(String.class).block();
    }
}
