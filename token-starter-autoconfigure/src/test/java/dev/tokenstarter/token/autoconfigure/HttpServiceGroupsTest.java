package dev.tokenstarter.token.autoconfigure;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.HttpRequest;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.tokenstarter.token.support.LoopbackServers;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TokenEndpointMock;

import static dev.tokenstarter.token.support.TokenEndpointMock.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * Declarative HTTP service clients ({@code @ImportHttpServices}) of groups named like a client, or mapped to
 * one with {@code http-service-groups}, carry its token with the same rules as the preconfigured clients;
 * other groups carry none.
 */
class HttpServiceGroupsTest {



    @RegisterExtension
    static final LoopbackServers servers = new LoopbackServers();



    @BeforeEach
    void reset() {
        servers.endpoint().issueOnce("token-one-abcdef", 3600);
        servers.endpoint().issueOnce("token-two-abcdef", 3600);
        servers.api().when(request()).respond(json(200, "\"ok\""));
    }

    private ApplicationContextRunner runner() {
        return StarterContextRunner.create()
            .withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
                    HttpServiceClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class))
            .withUserConfiguration(Groups.class)
            .withPropertyValues("api.auth.token-uri=" + servers.endpoint().uri(), "api.auth.client-id=orders-service",
                    "api.auth.client-secret=secret-value-123", "api.auth.base-url=" + apiUrl() + "/api",
                    "api.auth.refresh.eager=false", "api.auth.http-service-groups=reports,reactive",
                    "spring.http.serviceclient.reports.base-url=" + apiUrl() + "/api/reports",
                    "spring.http.serviceclient.other.base-url=" + apiUrl() + "/api");
    }

    private static String apiUrl() {
        return "http://localhost:" + servers.api().getPort();
    }

    private static HttpRequest[] received(String path) {
        return servers.api().retrieveRecordedRequests(request().withPath(path));
    }

    @Test
    void eachFlavourOfAGroupNamedLikeTheClientCarriesItsTokenAndRetriesOnce401() {
        servers.endpoint().issueOnce("token-three-abcd", 3600);
        TokenEndpointMock.respondFirstOnce(servers.api(), request().withPath("/api/orders"), response().withStatusCode(401));
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(OrdersApi.class).orders()).isEqualTo("\"ok\"");
            TokenEndpointMock.respondFirstOnce(servers.api(), request().withPath("/api/orders"), response().withStatusCode(401));
            assertThat(context.getBean(ReactiveOrdersApi.class).orders().block()).isEqualTo("\"ok\"");
        });

        HttpRequest[] sent = received("/api/orders");
        assertThat(sent).hasSize(4);
        assertThat(sent[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
        assertThat(sent[1].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");
        assertThat(sent[2].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-two-abcdef");
        assertThat(sent[3].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-three-abcd");
        assertThat(servers.endpoint().requestCount()).isEqualTo(3);
    }

    @Test
    void aGroupListedInHttpServiceGroupsCarriesTheTokenAndOtherGroupsNone() {
        runner().run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ReportsApi.class).daily()).isEqualTo("\"ok\"");
            assertThat(context.getBean(OtherApi.class).orders()).isEqualTo("\"ok\"");
        });

        assertThat(received("/api/reports/daily")[0].getFirstHeader(HttpHeaders.AUTHORIZATION))
            .isEqualTo("Bearer token-one-abcdef");
        assertThat(received("/api/orders")).hasSize(1)
            .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
    }

    @Test
    void aGroupFollowsRedirectsByTheStartersRules() {
        ClientAndServer foreign = ClientAndServer.startClientAndServer(0);
        try {
            foreign.when(request()).respond(json(200, "\"foreign\""));
            servers.api().reset();
            servers.api().when(request().withPath("/api/orders")).respond(response().withStatusCode(302)
                .withHeader(HttpHeaders.LOCATION, "http://localhost:" + foreign.getPort() + "/landing"));
            runner().run((context) -> assertThat(context.getBean(OrdersApi.class).orders()).isEqualTo("\"foreign\""));

            assertThat(received("/api/orders")[0].getFirstHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-one-abcdef");
            assertThat(foreign.retrieveRecordedRequests(request().withPath("/landing"))).hasSize(1)
                .allSatisfy((sent) -> assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
        }
        finally {
            foreign.stop();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "api", types = OrdersApi.class, clientType = ClientType.REST_CLIENT)
    @ImportHttpServices(group = "reactive", types = ReactiveOrdersApi.class, clientType = ClientType.WEB_CLIENT)
    @ImportHttpServices(group = "reports", types = ReportsApi.class, clientType = ClientType.REST_CLIENT)
    @ImportHttpServices(group = "other", types = OtherApi.class, clientType = ClientType.REST_CLIENT)
    static class Groups {
    }

    interface OrdersApi {

        @GetExchange("/orders")
        String orders();
    }

    interface ReactiveOrdersApi {

        @GetExchange("/orders")
        Mono<String> orders();
    }

    interface ReportsApi {

        @GetExchange("/daily")
        String daily();
    }

    interface OtherApi {

        @GetExchange("/orders")
        String orders();
    }
}
