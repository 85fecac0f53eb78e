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
        collect(ApiAuthProperties.PREFIX, ApiAuthProperties.class, expected);

        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(descriptions.keySet()).containsAll(expected);
        assertThat(expected).allSatisfy((name) -> assertThat(descriptions.get(name)).as(name).hasSizeGreaterThan(10));
        Set<String> hinted = new TreeSet<>();
        metadata.path("hints").forEach((hint) -> hinted.add(hint.path("name").stringValue()));
        assertThat(hinted).contains("api.auth.method");
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
