package dev.tokenstarter.sample.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.tokenstarter.token.Secrets;

/**
 * Settings of the embedded demo token endpoint and API.
 *
 * @param clientId the client id the demo token endpoint accepts
 * @param clientSecret the client secret the demo token endpoint accepts
 * @param tokenLifetime how long issued tokens stay valid
 */
@ConfigurationProperties("demo")
public record DemoProperties(String clientId, String clientSecret, Duration tokenLifetime) {

    @Override
    public String toString() {
        return "DemoProperties[clientId=" + clientId + ", clientSecret=" + Secrets.mask(clientSecret) + ", tokenLifetime="
                + tokenLifetime + "]";
    }
}
