package dev.tokenstarter.token.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a token may be sent: the origin (scheme, host, port) of the API's base URL, plus any allowed
 * origins ({@code https://files.example.com}) or host names ({@code files.example.com}: any port, over https
 * only unless plain http is allowed). Every other destination never receives the token.
 */
public final class TokenScope {

    private final List<Origin> origins;

    private final List<String> hosts;

    private final boolean plainHttpHosts;

    private TokenScope(List<Origin> origins, List<String> hosts, boolean plainHttpHosts) {
        this.origins = List.copyOf(origins);
        this.hosts = List.copyOf(hosts);
        this.plainHttpHosts = plainHttpHosts;
    }

    /**
     * @param baseUrl the API's base URL, or {@code null}
     * @param allowed additional origins or host names
     * @return the scope, in which host names match https only
     * @throws IllegalArgumentException if an entry is neither an absolute URL nor a host name
     */
    public static TokenScope of(URI baseUrl, List<String> allowed) {
        return of(baseUrl, allowed, false);
    }

    /**
     * @param baseUrl the API's base URL, or {@code null}
     * @param allowed additional origins or host names
     * @param plainHttpHosts whether host-name entries also match plain http
     * @return the scope
     * @throws IllegalArgumentException if an entry is neither an absolute URL nor a host name
     */
    public static TokenScope of(URI baseUrl, List<String> allowed, boolean plainHttpHosts) {
        List<Origin> origins = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        if (baseUrl != null) {
            origins.add(Origin.of(baseUrl));
        }
        for (String entry : (allowed != null) ? allowed : List.<String>of()) {
            String trimmed = entry.trim();
            if (trimmed.contains("://")) {
                origins.add(Origin.of(URI.create(trimmed)));
            }
            else if (trimmed.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                hosts.add(trimmed.toLowerCase(Locale.ROOT));
            }
            else {
                throw new IllegalArgumentException("'" + entry + "' is neither an origin such as "
                        + "https://api.example.com nor a host name such as api.example.com");
            }
        }
        return new TokenScope(origins, hosts, plainHttpHosts);
    }

    /** Whether a request to {@code uri} may carry the token. Runs on every request, so it allocates nothing. */
    public boolean includes(URI uri) {
        if (uri == null || uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        String host = uri.getHost();
        String scheme = uri.getScheme();
        for (Origin origin : origins) {
            if (origin.matches(scheme, host, uri.getPort())) {
                return true;
            }
        }
        boolean secure = "https".equalsIgnoreCase(scheme) || (plainHttpHosts && "http".equalsIgnoreCase(scheme));
        if (secure) {
            for (String allowed : hosts) {
                if (allowed.equalsIgnoreCase(host)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code a} and {@code b} share scheme, host and port. */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getHost() != null && b.getHost() != null && Origin.of(a).equals(Origin.of(b));
    }

    @Override
    public String toString() {
        return "TokenScope" + origins + ((hosts.isEmpty()) ? "" : " hosts " + hosts);
    }

    private record Origin(String scheme, String host, int port) {

        static Origin of(URI uri) {
            String scheme = Objects.requireNonNull(uri.getScheme(), () -> "'" + uri + "' has no scheme")
                .toLowerCase(Locale.ROOT);
            String host = Objects.requireNonNull(uri.getHost(), () -> "'" + uri + "' has no host").toLowerCase(Locale.ROOT);
            return new Origin(scheme, host, effectivePort(scheme, uri.getPort()));
        }

        boolean matches(String otherScheme, String otherHost, int otherPort) {
            return scheme.equalsIgnoreCase(otherScheme) && host.equalsIgnoreCase(otherHost)
                    && port == effectivePort(scheme, otherPort);
        }

        private static int effectivePort(String scheme, int port) {
            if (port != -1) {
                return port;
            }
            return "https".equalsIgnoreCase(scheme) ? 443 : ("http".equalsIgnoreCase(scheme) ? 80 : -1);
        }

        @Override
        public String toString() {
            return scheme + "://" + host + ":" + port;
        }
    }
}
