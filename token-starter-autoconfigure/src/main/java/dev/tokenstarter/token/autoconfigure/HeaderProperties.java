package dev.tokenstarter.token.autoconfigure;

/**
 * How the token is put on API requests.
 * The {@code header.*} keys of a client ({@link TokenClientProperties}).
 */
public class HeaderProperties {

    /**
     * Request header carrying the token, e.g. Authorization or X-Auth-Token.
     */
    private String name = "Authorization";

    /**
     * Prefix before the token value; empty sends the bare token.
     */
    private String scheme = "Bearer";

    public String getName() {
        return this.name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getScheme() {
        return this.scheme;
    }

    public void setScheme(String scheme) {
        this.scheme = scheme;
    }
}
