package dev.tokenstarter.token.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated IDE metadata holds every bindable property, each with a description.
 */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyIsInTheMetadataWithADescription() throws Exception {
        JsonNode metadata;
        // Read this module's file: other jars on the classpath carry one of the same name.
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/spring-configuration-metadata.json"))) {
            metadata = JsonMapper.shared().readTree(in);
        }
        Map<String, String> descriptions = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            descriptions.put(property.path("name").stringValue(), property.path("description").asString(""));
        }

        Set<String> expected = new TreeSet<>();
        collect(TokenClientsProperties.PREFIX, TokenClientsProperties.class, expected);

        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(descriptions.keySet()).containsAll(expected);
        assertThat(expected).allSatisfy((name) -> assertThat(descriptions.get(name)).as(name).hasSizeGreaterThan(10));
        Set<String> hinted = new TreeSet<>();
        metadata.path("hints").forEach((hint) -> hinted.add(hint.path("name").stringValue()));
        assertThat(hinted).contains("api.auth.request.method");
        assertThat(descriptions.keySet()).as("hints name bound properties").containsAll(hinted);
    }

    /** Issue 22: what the generator cannot see (a constant of another class, an enum's own spelling, Actuator's key). */
    @Test
    void defaultsAndHintsTheGeneratorCannotDeriveAreThere() throws Exception {
        JsonNode metadata;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/spring-configuration-metadata.json"))) {
            metadata = JsonMapper.shared().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.path("properties").forEach((property) -> properties.put(property.path("name").stringValue(), property));
        Map<String, JsonNode> hints = new HashMap<>();
        metadata.path("hints").forEach((hint) -> hints.put(hint.path("name").stringValue(), hint));
        String accessToken = "urn:ietf:params:oauth:token-type:access_token";
        assertThat(properties.get("api.auth.token-exchange.subject-token-type").path("defaultValue").asString(""))
            .isEqualTo(accessToken);
        assertThat(properties.get("api.auth.token-exchange.actor-token-type").path("defaultValue").asString(""))
            .isEqualTo(accessToken);
        assertThat(properties.get("api.auth.dpop.algorithm").path("defaultValue").asString("")).isEqualTo("ES256");
        Set<String> algorithms = new TreeSet<>();
        hints.get("api.auth.dpop.algorithm").path("values").forEach((value) -> algorithms.add(value.path("value").stringValue()));
        assertThat(algorithms).containsExactly("ES256", "ES384", "RS256");
        assertThat(properties.get("management.health.apiauth.enabled").path("defaultValue").asBoolean(false)).isTrue();
        assertThat(hints.get("api.auth.client-assertion.private-key").path("providers").get(0).path("name").stringValue())
            .isEqualTo("handle-as");
    }

    @Test
    void everyKeyFromBefore1_0IsReportedWithItsReplacement() throws Exception {
        JsonNode metadata;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/spring-configuration-metadata.json"))) {
            metadata = JsonMapper.shared().readTree(in);
        }
        Set<String> bound = new TreeSet<>();
        collect(TokenClientsProperties.PREFIX, TokenClientsProperties.class, bound);
        Map<String, String> replacements = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            JsonNode deprecation = property.path("deprecation");
            if ("error".equals(deprecation.path("level").asString(""))) {
                replacements.put(property.path("name").stringValue(), deprecation.path("replacement").asString(""));
            }
        }

        assertThat(replacements).containsEntry("api.auth.method", "api.auth.request.method")
            .containsEntry("api.auth.refresh-before", "api.auth.refresh.before")
            .containsEntry("api.auth.retry.max-backoff", "api.auth.refresh.retry.max-backoff")
            .containsEntry("api.auth.default-lifetime", "api.auth.response.default-lifetime")
            .hasSize(18);
        assertThat(bound).containsAll(replacements.values()).doesNotContainAnyElementsOf(replacements.keySet());
    }

    @Test
    void propertiesAreGroupedByWhatTheyFeed() {
        Set<String> names = new TreeSet<>();
        collect(TokenClientsProperties.PREFIX, TokenClientsProperties.class, names);

        assertThat(names).contains("api.auth.token-uri", "api.auth.client-id", "api.auth.base-url",
                "api.auth.header.name", "api.auth.request.method", "api.auth.request.body-format",
                "api.auth.request.headers", "api.auth.request.extra-parameters", "api.auth.request.connect-timeout",
                "api.auth.request.read-timeout", "api.auth.request.max-response-size", "api.auth.request.ssl.bundle",
                "api.auth.response.access-token", "api.auth.response.default-lifetime", "api.auth.refresh.before",
                "api.auth.refresh.expiry-margin", "api.auth.refresh.jitter", "api.auth.refresh.wait-timeout",
                "api.auth.refresh.eager", "api.auth.refresh.fail-fast", "api.auth.refresh.min-refetch-interval",
                "api.auth.refresh.retry.initial-backoff", "api.auth.refresh.retry.max-backoff",
                "api.auth.client-assertion.private-key", "api.auth.client-assertion.algorithm");
        assertThat(names).filteredOn((name) -> name.chars().filter((c) -> c == '.').count() == 2)
            .as("top-level keys")
            .containsExactlyInAnyOrder("api.auth.token-uri", "api.auth.issuer-uri", "api.auth.client-id", "api.auth.client-secret",
                    "api.auth.client-auth-method", "api.auth.grant-type", "api.auth.scope", "api.auth.username",
                    "api.auth.password", "api.auth.refresh-token", "api.auth.base-url", "api.auth.allowed-hosts", "api.auth.api-ssl-bundle",
                    "api.auth.allow-insecure-http", "api.auth.http-service-groups", "api.auth.clients",
                    "api.auth.apply-to-all-clients");
    }

    private static void collect(String prefix, Class<?> type, Set<String> names) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
                continue;
            }
            String name = prefix + "." + kebab(descriptor.getName());
            Class<?> propertyType = descriptor.getPropertyType();
            if (descriptor.getWriteMethod() == null && propertyType.getName().startsWith("dev.tokenstarter")) {
                collect(name, propertyType, names);
            }
            else if (descriptor.getWriteMethod() != null) {
                names.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
