package dev.tokenstarter.starter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The POMs the published modules install and deploy (flatten-maven-plugin writes them to
 * {@code target/flattened-pom.xml} before the tests run): an application that depends on {@code token-starter}
 * resolves it without this project's parent POM or its properties, and the metadata names this project, not
 * the Spring Boot parent it is built with. Before the flattening, the installed starter POM named
 * {@code token-starter-parent} as its parent and left its dependencies' versions to it.
 */
class PublishedPomTest {

    @ParameterizedTest
    @ValueSource(strings = { "token-starter", "token-starter-autoconfigure", "token-starter-test" })
    void aPublishedPomStandsAlone(String module) throws Exception {
        Path pom = Path.of("..", module, "target", "flattened-pom.xml");
        assertThat(pom).as("%s: built by this reactor's process-resources (run the build from the root)", pom).exists();
        Element project = DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(pom.toFile())
            .getDocumentElement();

        assertThat(children(project, "parent")).as("parent of %s", module).isEmpty();
        assertThat(text(project, "artifactId")).isEqualTo(module);
        assertThat(text(project, "name")).isNotBlank();
        assertThat(text(project, "description")).isNotBlank();
        assertThat(text(project, "url")).doesNotContain("spring.io").doesNotContain("${");
        Element license = children(children(project, "licenses").get(0), "license").get(0);
        assertThat(text(license, "name")).isEqualTo("Apache License, Version 2.0");
        Element developer = children(children(project, "developers").get(0), "developer").get(0);
        assertThat(text(developer, "name")).isEqualTo("The token-starter maintainers");
        assertThat(text(children(project, "scm").get(0), "url")).isEqualTo(text(project, "url"));
        assertThat(children(project, "dependencyManagement")).isEmpty();

        List<Element> dependencies = children(children(project, "dependencies").get(0), "dependency");
        assertThat(dependencies).isNotEmpty().allSatisfy((dependency) -> {
            String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
            assertThat(text(dependency, "version")).as("version of %s", coordinates).matches("[0-9][^$]*");
            assertThat(text(dependency, "scope")).as("scope of %s", coordinates).isNotEqualTo("test");
        });
        assertThat(Files.readString(pom)).doesNotContain("${");
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }
}
