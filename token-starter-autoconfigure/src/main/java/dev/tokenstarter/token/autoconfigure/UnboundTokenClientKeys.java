package dev.tokenstarter.token.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keys under {@code api.auth.} and {@code api.auth.clients.<name>.} that bind to nothing: a typo
 * ({@code scopes} for {@code scope}) or a key retired before 1.0 ({@code refresh-before}) would otherwise be
 * ignored in silence. Found in every property source, with or without spring-boot-properties-migrator, and
 * reported with where each came from and the closest valid key or the replacement. Environment variables
 * only warn: relaxed binding maps every {@code API_AUTH_*} variable here, and Kubernetes defines such
 * variables for a Service named {@code api-auth}. Map-valued keys ({@code request.headers.*},
 * {@code request.extra-parameters.*}, {@code clients.*}) take any sub-key.
 */
final class UnboundTokenClientKeys {

    private static final Log logger = LogFactory.getLog(UnboundTokenClientKeys.class);

    private static final String CLIENTS = TokenClientsProperties.PREFIX + ".clients";

    /** The flat keys of before 1.0, relative to a client's prefix, and the keys that replaced them. */
    static final Map<String, String> RETIRED = retired();

    /** The retired keys that were maps, uniform: their entries moved with them. */
    private static final Set<String> RETIRED_MAPS = Set.of("headers", "extraparameters");

    /** The keys of the top level (api.auth.*), in dashed form, and the map-valued ones among them. */
    private static final Keys TOP = keys(TokenClientsProperties.class);

    /** The keys of one client (api.auth.clients.NAME.*), relative to its prefix. */
    private static final Keys CLIENT = keys(TokenClientProperties.class);

    private UnboundTokenClientKeys() {
    }

    /**
     * @throws InvalidTokenClientPropertyException naming every unbound key outside environment variables
     */
    static void check(Environment environment) {
        Map<String, String> unbound = new LinkedHashMap<>();
        ConfigurationPropertyName root = ConfigurationPropertyName.of(TokenClientsProperties.PREFIX);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            boolean fromEnvironmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
            iterable.filter(root::isAncestorOf).stream().forEach((name) -> {
                String advice = check(name, fromEnvironmentVariables);
                if (advice == null) {
                    return;
                }
                String key = name.toString();
                String where = origin(source, name);
                if (fromEnvironmentVariables) {
                    logger.warn("The environment variable behind '" + key + "' (" + where + ") binds to no token client "
                            + "property and is ignored" + (advice.isEmpty() ? "" : "; " + advice));
                }
                else {
                    unbound.putIfAbsent(key, "from " + where + (advice.isEmpty() ? "" : "; " + advice));
                }
            });
        }
        if (!unbound.isEmpty()) {
            String first = unbound.keySet().iterator().next();
            StringBuilder reason = new StringBuilder("it binds to nothing");
            unbound.forEach((key, detail) -> reason.append(key.equals(first) ? " (" + detail + ")"
                    : "; and so does '" + key + "' (" + detail + ")"));
            throw new InvalidTokenClientPropertyException(first, reason.toString(),
                    "Correct or remove " + ((unbound.size() == 1) ? "that key" : "those keys") + "; every key is listed "
                            + "under \"Properties\" in the README, and IDEs complete them from the starter's metadata.");
        }
    }

    /**
     * {@code null} if {@code name} binds; else advice: the replacement, the closest key, or empty.
     * @param environmentVariable whether it comes from an environment variable, whose underscores Spring Boot
     * also binds across dashes ({@code API_AUTH_CLIENT_SECRET} sets {@code client-secret})
     */
    private static @Nullable String check(ConfigurationPropertyName name, boolean environmentVariable) {
        List<String> elements = new ArrayList<>();
        for (int i = 2; i < name.getNumberOfElements(); i++) { // after api.auth
            if (!name.isNumericIndex(i)) {
                elements.add(name.getElement(i, Form.DASHED));
            }
        }
        if (elements.isEmpty()) {
            return null;
        }
        String prefix = TokenClientsProperties.PREFIX + ".";
        Keys keys = TOP;
        if (elements.get(0).equals("clients") && elements.size() > 1) {
            if (elements.size() == 2) {
                return null; // a client without keys of its own
            }
            prefix = CLIENTS + "." + elements.get(1) + ".";
            elements = elements.subList(2, elements.size());
            keys = CLIENT;
        }
        String relative = String.join(".", elements);
        if (keys.binds(relative) || (environmentVariable && keys.bindsAcrossDots(relative))) {
            return null;
        }
        String replacement = retiredReplacement(relative);
        if (replacement != null) {
            return "it was retired before 1.0: use " + prefix + replacement;
        }
        String closest = keys.closest(relative);
        return (closest != null) ? "did you mean " + prefix + closest + "?" : "";
    }

    /** The key that replaced a retired one; a retired map key ({@code headers.X}) keeps its entry. */
    private static @Nullable String retiredReplacement(String relative) {
        String uniform = uniform(relative);
        String replacement = RETIRED.get(uniform);
        if (replacement != null) {
            return replacement;
        }
        int dot = relative.indexOf('.');
        String first = (dot > 0) ? uniform(relative.substring(0, dot)) : null;
        return (first != null && RETIRED_MAPS.contains(first)) ? RETIRED.get(first) + relative.substring(dot) : null;
    }

    private static String origin(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        String sourceName = (source.getUnderlyingSource() instanceof PropertySource<?> propertySource)
                ? propertySource.getName() : String.valueOf(source.getUnderlyingSource());
        return (property != null && property.getOrigin() != null) ? property.getOrigin() + " in " + sourceName
                : sourceName;
    }

    private static String uniform(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static Keys keys(Class<?> type) {
        Keys keys = new Keys(new TreeSet<>(), new TreeSet<>());
        collect("", type, keys);
        return keys;
    }

    private static void collect(String prefix, Class<?> type, Keys keys) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
                continue;
            }
            String name = prefix + dashed(descriptor.getName());
            Class<?> propertyType = descriptor.getPropertyType();
            if (Map.class.isAssignableFrom(propertyType)) {
                keys.maps().add(name);
            }
            else if (descriptor.getWriteMethod() == null && propertyType.getName().startsWith("dev.tokenstarter")) {
                collect(name + ".", propertyType, keys);
            }
            else if (descriptor.getWriteMethod() != null) {
                keys.leaves().add(name);
            }
        }
    }

    private static String dashed(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> retired() {
        Map<String, String> retired = new LinkedHashMap<>();
        for (String key : List.of("method", "body-format", "headers", "extra-parameters", "connect-timeout",
                "read-timeout", "max-response-size", "ssl.bundle")) {
            retired.put(uniform(key), "request." + key);
        }
        retired.put(uniform("default-lifetime"), "response.default-lifetime");
        retired.put(uniform("refresh-before"), "refresh.before");
        retired.put(uniform("refresh-jitter"), "refresh.jitter");
        for (String key : List.of("expiry-margin", "wait-timeout", "eager", "fail-fast", "min-refetch-interval",
                "retry.initial-backoff", "retry.max-backoff")) {
            retired.put(uniform(key), "refresh." + key);
        }
        return Map.copyOf(retired);
    }

    /**
     * @param leaves keys that take one value (or a list), dashed, relative to the prefix
     * @param maps map-valued keys, which take any sub-key
     */
    private record Keys(Set<String> leaves, Set<String> maps) {

        boolean binds(String key) {
            String uniform = uniform(key);
            return leaves.stream().anyMatch((leaf) -> uniform(leaf).equals(uniform))
                    || maps.stream().map(UnboundTokenClientKeys::uniform)
                        .anyMatch((map) -> uniform.equals(map) || uniform.startsWith(map + "."));
        }

        /** Whether {@code key} binds with its dots read as possible dashes, as an environment variable's are. */
        boolean bindsAcrossDots(String key) {
            String joined = uniform(key).replace(".", "");
            return leaves.stream().anyMatch((leaf) -> uniform(leaf).replace(".", "").equals(joined))
                    || maps.stream().map((map) -> uniform(map).replace(".", "")).anyMatch(joined::startsWith);
        }

        /** The valid key nearest to {@code key} by edit distance, if one is near enough to be a typo. */
        @Nullable String closest(String key) {
            return Stream.concat(leaves.stream(), maps.stream())
                .filter((candidate) -> distance(candidate, key) <= Math.max(2, key.length() / 4))
                .min(Comparator.comparingInt((String candidate) -> distance(candidate, key)))
                .orElse(null);
        }

        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }
    }
}
