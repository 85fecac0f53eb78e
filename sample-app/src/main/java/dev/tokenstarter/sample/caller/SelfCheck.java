package dev.tokenstarter.sample.caller;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import dev.tokenstarter.token.TokenClients;

/**
 * With {@code --sample.self-check=true}: calls the API of every configured client once through its
 * {@code <name>WebClient} and once through its {@code <name>RestClient} (paths from
 * {@code sample.check-paths}), logs each outcome, and exits with 0 when all succeeded, else 1. The build
 * runs it on the AOT-processed jar to prove the starter's beans work in AOT mode. (Always a bean, reading
 * the flag when run: in AOT mode conditions are settled at build time.)
 */
@Component
class SelfCheck implements ApplicationRunner {

    private static final Logger logger = LoggerFactory.getLogger(SelfCheck.class);

    private final TokenClients clients;

    private final BeanFactory beanFactory;

    private final Map<String, String> paths;

    private final ConfigurableApplicationContext context;

    private final boolean enabled;

    SelfCheck(TokenClients clients, BeanFactory beanFactory, Environment environment, ConfigurableApplicationContext context) {
        this.clients = clients;
        this.beanFactory = beanFactory;
        this.paths = Binder.get(environment).bind("sample.check-paths", Bindable.mapOf(String.class, String.class))
            .orElse(Map.of());
        this.context = context;
        this.enabled = environment.getProperty("sample.self-check", Boolean.class, false);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled) {
            return;
        }
        int failed = 0;
        for (String name : clients.names()) {
            String path = paths.getOrDefault(name, "/");
            failed += check(name, "WebClient", () -> beanFactory.getBean(TokenClients.beanName(name, "WebClient"), WebClient.class).get().uri(path)
                .retrieve().bodyToMono(String.class).block());
            failed += check(name, "RestClient", () -> beanFactory.getBean(TokenClients.beanName(name, "RestClient"), RestClient.class).get().uri(path)
                .retrieve().body(String.class));
        }
        failed += check("inventory", "HTTP service", () -> beanFactory.getBean(InventoryApi.class).items());
        int exitCode = (failed == 0) ? 0 : 1;
        logger.info("self-check: {} client(s), {} failed call(s)", clients.names().size(), failed);
        System.exit(SpringApplication.exit(context, () -> exitCode));
    }

    private int check(String client, String kind, java.util.function.Supplier<String> call) {
        try {
            String body = call.get();
            logger.info("self-check: {} {} OK, {} bytes, token state {}", client, kind, (body != null) ? body.length() : 0,
                    clients.state(client).hasValidToken(clients.clock().instant()) ? "valid" : "not valid");
            return 0;
        }
        catch (RuntimeException ex) {
            logger.error("self-check: {} {} FAILED: {}", client, kind, ex.getMessage());
            return 1;
        }
    }
}
