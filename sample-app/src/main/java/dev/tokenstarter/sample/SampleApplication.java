package dev.tokenstarter.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

import dev.tokenstarter.sample.caller.InventoryApi;

/**
 * Demo application for token-starter: calls an API through the injected WebClient and RestClient every
 * few seconds. In the default {@code demo} profile the same application also serves the token endpoint and
 * the API it calls; the {@code remote} profile points it at a real API.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@ImportHttpServices(group = "inventory", types = InventoryApi.class, clientType = ClientType.REST_CLIENT)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
