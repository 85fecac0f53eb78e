package dev.tokenstarter.check;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * An ordinary application using token-starter as a user would: the client {@code api} is configured by
 * {@code api.auth.*} alone (given on the command line by InstalledAppIT), and the HTTP service group named
 * like it gets its token and base URL, as the README documents.
 */
@SpringBootApplication
@ImportHttpServices(group = "api", types = CheckedApi.class)
public class InstalledApp {

    public static void main(String[] args) {
        SpringApplication.run(InstalledApp.class, args);
    }
}
