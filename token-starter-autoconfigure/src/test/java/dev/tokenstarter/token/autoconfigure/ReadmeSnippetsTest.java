package dev.tokenstarter.token.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.client.ReactorResourceFactory;

import dev.tokenstarter.token.support.Fleet;
import dev.tokenstarter.token.support.StarterContextRunner;
import dev.tokenstarter.token.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every YAML snippet of the README starts an application context and creates the beans its text promises.
 * Each block is followed by a tag, {@code <!-- snippet: beans=a,b; with=first|previous -->}: the beans that
 * must exist, and, for a fragment, the block it extends (the README's first snippet, or the one before it).
 * An untagged block fails. Fixtures stand in for what a reader has: every {@code ${VARIABLE}} gets a value,
 * the files under {@code /etc/keys} and {@code /var/run/secrets} exist (PEM keys, certificates, a PKCS#12
 * store, a subject token, an assertion) in a temporary directory, and every {@code https://…example.com}
 * endpoint and the Redis host point at closed loopback ports, so nothing leaves the machine.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```yaml\\n(.*?)^```\\n\\s*(<!--.*?-->)?");

    private static final Pattern TAG = Pattern.compile("<!-- snippet: beans=([^;]*?)(?:; with=(first|previous))? -->");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)}");

    private static final String KEYSTORE_PASSWORD = "readme-keystore-password";

    @TempDir
    static Path root;

    @BeforeAll
    static void fixtures() throws IOException {
        Path keys = Files.createDirectories(root.resolve("etc/keys"));
        KeyPair client = TestKeys.rsa(2048);
        TestKeys.writePrivateKeyPem(client, keys.resolve("orders.key"));
        TestKeys.writeCertificatePem(TestKeys.selfSigned(client, "orders-service"), keys.resolve("orders.crt"));
        TestKeys.writeCertificatePem(TestKeys.selfSigned(TestKeys.rsa(2048), "auth-ca"), keys.resolve("auth-ca.crt"));
        TestKeys.writePrivateKeyPem(TestKeys.rsa(2048), keys.resolve("orders-service.pem"));
        TestKeys.writePrivateKeyPem(TestKeys.ec("secp256r1"), keys.resolve("dpop.pem"));
        TestKeys.writePkcs12(TestKeys.rsa(2048), "orders-signing", KEYSTORE_PASSWORD, keys.resolve("orders.p12"));
        Files.writeString(Files.createDirectories(root.resolve("var/run/secrets/tokens")).resolve("api-token"),
                "eyJhbGciOiJSUzI1NiJ9.e30.c3ViamVjdA");
        Files.writeString(Files.createDirectories(root.resolve("var/run/secrets/idp")).resolve("assertion.jwt"),
                "eyJhbGciOiJSUzI1NiJ9.e30.YXNzZXJ0aW9u");
    }

    static Stream<Arguments> snippets() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        List<Arguments> snippets = new ArrayList<>();
        List<String> blocks = new ArrayList<>();
        Matcher block = BLOCK.matcher(readme);
        while (block.find()) {
            String yaml = block.group(1);
            int line = (int) readme.substring(0, block.start()).lines().count() + 1;
            String tag = block.group(2);
            Matcher parts = (tag != null) ? TAG.matcher(tag) : null;
            if (parts == null || !parts.matches()) {
                snippets.add(Arguments.of("README.md:" + line, List.of(), List.of(), tag));
            }
            else {
                List<String> sources = new ArrayList<>();
                if ("first".equals(parts.group(2))) {
                    sources.add(blocks.get(0));
                }
                else if ("previous".equals(parts.group(2))) {
                    sources.add(blocks.get(blocks.size() - 1));
                }
                sources.add(yaml);
                List<String> beans = Arrays.stream(parts.group(1).split(",")).map(String::trim).toList();
                snippets.add(Arguments.of("README.md:" + line, sources, beans, tag));
            }
            blocks.add(yaml);
        }
        assertThat(snippets).hasSizeGreaterThan(10);
        return snippets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void theSnippetStartsAndCreatesTheBeansItsTextPromises(String where, List<String> yaml, List<String> beans,
            String tag) throws IOException {
        assertThat(beans).as("%s has no tag <!-- snippet: beans=…[; with=first|previous] --> after its block (found: %s)",
                where, tag).isNotEmpty();
        List<PropertySource<?>> sources = new ArrayList<>();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = yaml.size() - 1; i >= 0; i--) { // the snippet itself first, what it extends after it
            String text = localize(yaml.get(i));
            Matcher variable = VARIABLE.matcher(text);
            while (variable.find()) {
                variables.put(variable.group(1), fixture(variable.group(1)));
            }
            sources.addAll(new YamlPropertySourceLoader().load(where + "#" + i,
                    new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8))));
        }
        sources.add(new MapPropertySource("fixture variables", variables));
        StarterContextRunner.create()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withBean(ReactorResourceFactory.class, Fleet::ownEventLoops)
            .withInitializer((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
            .run((context) -> {
                assertThat(context).as(where).hasNotFailed();
                assertThat(beans).as(where).allSatisfy((bean) -> assertThat(context.containsBean(bean))
                    .as("%s: bean '%s'", where, bean).isTrue());
            });
    }

    /** A block without its tag is found, not skipped: the test above fails for it. */
    @Test
    void everyBlockIsFound() throws IOException {
        long fences = Files.readString(Path.of("../README.md")).lines().filter((line) -> line.equals("```yaml")).count();
        assertThat(snippets()).hasSize((int) fences);
    }

    /** The reader's files in the fixture directory, their endpoints on closed loopback ports. */
    private static String localize(String yaml) {
        return yaml.replace("/etc/keys/", root.resolve("etc/keys") + "/")
            .replace("/var/run/secrets/", root.resolve("var/run/secrets") + "/")
            .replaceAll("https://[a-z0-9.-]*example\\.com", "https://127.0.0.1:9")
            .replace("host: redis.internal, port: 6379", "host: 127.0.0.1, port: 9");
    }

    private static String fixture(String variable) {
        return switch (variable) {
            case "TOKEN_ENCRYPTION_KEY" -> Base64.getEncoder().encodeToString(new byte[32]);
            case "KEYSTORE_PASSWORD" -> KEYSTORE_PASSWORD;
            default -> "readme-fixture-secret-0123456789abcdef-0123456789"; // long enough for HS256
        };
    }
}
