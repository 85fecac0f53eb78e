package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a token may be sent: the API's base URL (its origin, and its path as a prefix when it has one), plus
 * any allowed origins ({@code https://files.example.com}) or host names ({@code files.example.com}: any
 * port, over https only unless plain http is allowed), minus the base URLs of other clients that lie
 * under it (the longest base URL wins, so two clients behind one gateway each get their own paths). Every
 * other destination never receives the token.
 */
public final class TokenDestinations {

    // arrays, not lists: includes(URI) runs on every request and walks them without an iterator
    private final Origin[] origins;

    private final String[] hosts;

    private final boolean plainHttpHosts;

    private final Origin[] excluded;

    private TokenDestinations(List<Origin> origins, List<String> hosts, boolean plainHttpHosts, List<Origin> excluded) {
        this.origins = origins.toArray(Origin[]::new);
        this.hosts = hosts.toArray(String[]::new);
        this.plainHttpHosts = plainHttpHosts;
        this.excluded = excluded.toArray(Origin[]::new);
    }

    /**
     * @param baseUrl the API's base URL, or {@code null}
     * @param allowed additional origins or host names
     * @return the destinations, in which host names match https only
     * @throws IllegalArgumentException if an entry is neither an absolute URL nor a host name
     */
    public static TokenDestinations of(@Nullable URI baseUrl, @Nullable List<String> allowed) {
        return of(baseUrl, allowed, false);
    }

    /**
     * @param baseUrl the API's base URL, or {@code null}
     * @param allowed additional origins or host names
     * @param plainHttpHosts whether host-name entries also match plain http
     * @return the destinations
     * @throws IllegalArgumentException if an entry is neither an absolute URL nor a host name
     */
    public static TokenDestinations of(@Nullable URI baseUrl, @Nullable List<String> allowed, boolean plainHttpHosts) {
        List<Origin> origins = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        if (baseUrl != null) {
            origins.add(Origin.of(baseUrl, true));
        }
        for (String entry : (allowed != null) ? allowed : List.<String>of()) {
            String trimmed = entry.trim();
            if (trimmed.contains("://")) {
                origins.add(Origin.of(parse(entry, trimmed), false));
            }
            else if (trimmed.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                hosts.add(trimmed.toLowerCase(Locale.ROOT));
            }
            else {
                throw new IllegalArgumentException("'" + entry + "' is neither an origin such as "
                        + "https://api.example.com nor a host name such as api.example.com");
            }
        }
        return new TokenDestinations(origins, hosts, plainHttpHosts, List.of());
    }

    private static URI parse(String entry, String trimmed) {
        URI uri;
        try {
            uri = URI.create(trimmed);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + entry + "' is not a valid origin such as https://api.example.com");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + entry + "' has no valid host name: wildcards (*.example.com) and "
                    + "underscores are not supported, list each host");
        }
        return uri;
    }

    /**
     * These destinations without the paths under other clients' base URLs: a request to {@code https://gw/payments/1}
     * belongs to the client of {@code https://gw/payments}, not to the one of {@code https://gw}.
     * @param otherBaseUrls the base URLs of the other clients
     * @return the narrowed destinations
     */
    public TokenDestinations excluding(List<URI> otherBaseUrls) {
        List<Origin> narrower = new ArrayList<>();
        for (URI other : otherBaseUrls) {
            Origin candidate = Origin.of(other, true);
            for (Origin origin : origins) {
                if (origin.isWiderThan(candidate)) {
                    narrower.add(candidate);
                    break;
                }
            }
        }
        return new TokenDestinations(List.of(origins), List.of(hosts), plainHttpHosts, narrower);
    }

    /** Whether a request to {@code uri} may carry the token. Runs on every request, so it allocates nothing. */
    public boolean includes(@Nullable URI uri) {
        if (uri == null || uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        String host = uri.getHost();
        String scheme = uri.getScheme();
        String path = uri.getRawPath();
        for (Origin origin : excluded) {
            if (origin.matches(scheme, host, uri.getPort(), path)) {
                return false;
            }
        }
        for (Origin origin : origins) {
            if (origin.matches(scheme, host, uri.getPort(), path)) {
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
        return a.getHost() != null && b.getHost() != null && Origin.of(a, false).equals(Origin.of(b, false));
    }

    @Override
    public String toString() {
        return "TokenDestinations" + List.of(origins) + ((hosts.length == 0) ? "" : " hosts " + List.of(hosts))
                + ((excluded.length == 0) ? "" : " except " + List.of(excluded));
    }

    /**
     * An origin, optionally narrowed to a path prefix.
     *
     * @param path the path prefix without trailing slash, or empty for the whole origin
     */
    private record Origin(String scheme, String host, int port, String path) {

        static Origin of(URI uri, boolean withPath) {
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + uri + "' is not an absolute URL with a host");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            String path = (withPath && uri.getRawPath() != null) ? uri.getRawPath() : "";
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new Origin(scheme, host, (uri.getPort() != -1) ? uri.getPort() : defaultPort(scheme), path);
        }

        boolean matches(String otherScheme, String otherHost, int otherPort, String otherPath) {
            return sameIgnoringCase(scheme, otherScheme) && sameIgnoringCase(host, otherHost)
                    && port == ((otherPort != -1) ? otherPort : defaultPort(scheme)) && underPath(otherPath);
        }

        /** Whether {@code other} is {@code lowerCase} in any case: mostly it is in lower case too, a quick compare. */
        private static boolean sameIgnoringCase(String lowerCase, String other) {
            return lowerCase.equals(other) || lowerCase.equalsIgnoreCase(other);
        }

        /**
         * Whether {@code requestPath} lies under this prefix, segment by segment. A path with dot segments
         * ({@code /orders/../payments}, also percent-encoded) never matches a prefix: the server would resolve
         * it elsewhere.
         */
        private boolean underPath(String requestPath) {
            if (path.isEmpty()) {
                return true;
            }
            if (requestPath == null || !requestPath.startsWith(path)
                    || (requestPath.length() > path.length() && requestPath.charAt(path.length()) != '/')) {
                return false;
            }
            return !requestPath.contains("/.") && !requestPath.contains("%2e") && !requestPath.contains("%2E");
        }

        /** Whether {@code other} is a longer path on this origin, under this one's path. */
        boolean isWiderThan(Origin other) {
            return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port
                    && other.path.length() > path.length() && underPath(other.path);
        }

        private static int defaultPort(String lowerCaseScheme) {
            return switch (lowerCaseScheme) {
                case "https" -> 443;
                case "http" -> 80;
                default -> -1;
            };
        }

        @Override
        public String toString() {
            return scheme + "://" + host + ":" + port + path;
        }
    }
}
