package dev.tokenstarter.token.internal.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a URL's host is this machine, the one place plain http may carry secrets without
 * {@code allow-insecure-http}: {@code localhost} or a loopback address literal. Other names are never
 * resolved here and never trusted as loopback.
 */
public final class LoopbackHosts {

    private LoopbackHosts() {
    }

    /**
     * @param host a URL's host, an IPv6 literal with or without brackets
     * @return whether it is {@code localhost} or a loopback address literal
     */
    public static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            return false; // a name: never resolved here, and not trusted as loopback
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
