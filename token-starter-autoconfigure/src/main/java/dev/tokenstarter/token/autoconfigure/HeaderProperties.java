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

    /** Creates header settings with the defaults: {@code Authorization: Bearer <token>}. */
    public HeaderProperties() {
    }

    /** {@return the request header carrying the token} */
    public String getName() {
        return this.name;
    }

    /** Sets the request header carrying the token.
     * @param name the header name */
    public void setName(String name) {
        this.name = name;
    }

    /** {@return the prefix before the token value; empty for the bare token} */
    public String getScheme() {
        return this.scheme;
    }

    /** Sets the prefix before the token value.
     * @param scheme the prefix; empty for the bare token */
    public void setScheme(String scheme) {
        this.scheme = scheme;
    }
}
