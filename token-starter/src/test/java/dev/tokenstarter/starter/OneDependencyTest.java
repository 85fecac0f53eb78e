package dev.tokenstarter.starter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.tokenstarter.token.test.LoopbackTokenEndpoint;
import dev.tokenstarter.token.test.RecordedRequest;
import dev.tokenstarter.token.test.TokenStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-dependency promise, on this module's test class path: what {@code token-starter} brings and
 * nothing else of the application's (only the test starter and the loopback endpoint are added). A client
 * authenticating with {@code private_key_jwt} from properties alone gets its WebClient, its RestClient and
 * an {@code @HttpExchange} group, and each calls the API with a valid token. Before the starter brought
 * spring-boot-starter-restclient and Nimbus, the context failed: no RestClient bean, and signing needed a
 * dependency the user had to add with a version of their own.
 */
class OneDependencyTest {

    @Test
    void privateKeyJwtFromPropertiesAloneGivesWebClientRestClientAndHttpServiceClients(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = dir.resolve("orders-service.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        try (LoopbackTokenEndpoint endpoint = LoopbackTokenEndpoint.start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                    .web(WebApplicationType.NONE)
                    .properties("spring.main.banner-mode=off", "api.auth.token-uri=" + endpoint.uri(),
                            "api.auth.client-id=orders-service", "api.auth.client-auth-method=private-key-jwt",
                            "api.auth.client-assertion.private-key=file:" + key, "api.auth.base-url=" + endpoint.apiUri())
                    .run()) {
            WebClient web = context.getBean("apiWebClient", WebClient.class);
            RestClient rest = context.getBean("apiRestClient", RestClient.class);
            OrdersApi orders = context.getBean(OrdersApi.class);

            web.get().uri("/orders").retrieve().toBodilessEntity().block(Duration.ofSeconds(5));
            rest.get().uri("/orders").retrieve().toBodilessEntity();
            orders.orders();

            assertThat(endpoint.apiCalls(TokenStatus.VALID)).isEqualTo(3);
            assertThat(endpoint.apiCalls()).isEqualTo(3);
            List<RecordedRequest> requests = endpoint.requests();
            assertThat(requests).isNotEmpty().allSatisfy((request) -> assertThat(request.body())
                .contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
                .contains("client_assertion=ey"));
        }
    }

    /** The published starter POM names Nimbus' version literally; it must be the one the build manages. */
    @Test
    void theStarterPomNamesTheNimbusVersionTheParentManages() throws Exception {
        String starter = Files.readString(Path.of("pom.xml"));
        String parent = Files.readString(Path.of("../pom.xml"));
        Matcher managed = Pattern.compile("<nimbus-jose-jwt.version>([^<]+)</nimbus-jose-jwt.version>").matcher(parent);
        Matcher named = Pattern.compile("<artifactId>nimbus-jose-jwt</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(starter);
        assertThat(managed.find()).as("nimbus-jose-jwt.version in the parent POM").isTrue();
        assertThat(named.find()).as("a literal nimbus-jose-jwt version in token-starter/pom.xml").isTrue();
        assertThat(named.group(1)).isEqualTo(managed.group(1));
    }

    interface OrdersApi {

        @GetExchange("/orders")
        String orders();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportHttpServices(group = "api", types = OrdersApi.class)
    static class Application {
    }
}
