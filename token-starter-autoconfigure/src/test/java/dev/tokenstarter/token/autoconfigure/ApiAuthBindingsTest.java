package dev.tokenstarter.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.web.client.RestClient;

import dev.tokenstarter.token.TokenClients;
import dev.tokenstarter.token.support.StarterContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code api.auth} is bound at most twice per context: the condition's yes/no and the one binding the beans are
 * built from. Counted as the reads of one client's {@code token-uri} from a property source that counts them:
 * every binding of {@code api.auth} reads it once. Before issue 23 the condition (evaluated more than once), the
 * registrar, {@code @EnableConfigurationProperties} and the client beans each bound it: six reads at 7ce8d03;
 * now two (the condition's binding, which the registrar reuses, and the properties bean).
 */
class ApiAuthBindingsTest {

    private final ApplicationContextRunner runner = StarterContextRunner.create();

    @Test
    void apiAuthIsBoundAtMostTwicePerContext() {
        Map<String, Object> values = new LinkedHashMap<>();
        String prefix = "api.auth.clients.orders.";
        values.put(prefix + "token-uri", "http://127.0.0.1:9/token");
        values.put(prefix + "client-id", "c");
        values.put(prefix + "client-secret", "secret-1234");
        values.put(prefix + "base-url", "http://127.0.0.1:9");
        values.put(prefix + "refresh.eager", "false");
        CountingPropertySource source = new CountingPropertySource(values, prefix + "token-uri");
        runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(source))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(TokenClients.class).names()).containsExactly("orders");
                assertThat(context.getBean("ordersRestClient", RestClient.class)).isNotNull();
                assertThat(source.reads.get()).as("bindings of api.auth").isBetween(1, 2);
            });
    }

    static final class CountingPropertySource extends MapPropertySource {

        private final String counted;

        final AtomicInteger reads = new AtomicInteger();

        CountingPropertySource(Map<String, Object> values, String counted) {
            super("counting", values);
            this.counted = counted;
        }

        @Override
        public Object getProperty(String name) {
            if (counted.equals(name)) {
                reads.incrementAndGet();
            }
            return super.getProperty(name);
        }
    }
}
