package dev.tokenstarter.token.autoconfigure;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The JWT bearer grant (RFC 7523 §2.1), for grant-type jwt-bearer.
 * The {@code jwt-bearer.*} keys of a client ({@link TokenClientProperties}).
 */
public class JwtBearerProperties {

    /**
     * The JWT presented as the grant, issued by a party the authorization server trusts.
     */
    @NestedConfigurationProperty
    private final CredentialProperties assertion = new CredentialProperties();

    /** Creates JWT bearer settings with no assertion set. */
    public JwtBearerProperties() {
    }

    /** {@return where the JWT presented as the grant comes from} */
    public CredentialProperties getAssertion() {
        return this.assertion;
    }
}
