package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import dev.tokenstarter.token.dpop.DPoPAlgorithm;

/**
 * DPoP (RFC 9449): a key pair per client whose proof goes with every token request and, when the endpoint
 * issues DPoP-bound tokens, with every API call.
 * The {@code dpop.*} keys of a client ({@link TokenClientProperties}).
 */
public class DpopProperties {

    /**
     * Whether DPoP proofs are sent. The token endpoint then binds the token to the client's key (token
     * type DPoP), and API calls carry "Authorization: DPoP <token>" and a proof; a Bearer token the
     * endpoint issues instead is sent as before.
     */
    private boolean enabled;

    /**
     * Signing algorithm of the proofs.
     */
    private DPoPAlgorithm algorithm = DPoPAlgorithm.ES256;

    /**
     * PEM file with the private key (PKCS#8, or SEC 1 EC / PKCS#1 RSA), e.g. file:/etc/keys/dpop.pem. Empty:
     * a key pair generated in memory at startup, so each instance and restart has its own. Never logged.
     */
    private @Nullable String keyLocation;

    /** Creates DPoP settings with the defaults: disabled, ES256, a generated key pair. */
    public DpopProperties() {
    }

    /** {@return whether DPoP proofs are sent} */
    public boolean isEnabled() {
        return this.enabled;
    }

    /** Sets whether DPoP proofs are sent.
     * @param enabled whether proofs are sent */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return the signing algorithm of the proofs} */
    public DPoPAlgorithm getAlgorithm() {
        return this.algorithm;
    }

    /** Sets the signing algorithm of the proofs.
     * @param algorithm the algorithm */
    public void setAlgorithm(DPoPAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /** {@return the PEM file with the private key, or {@code null} for a key pair generated at startup} */
    public @Nullable String getKeyLocation() {
        return this.keyLocation;
    }

    /** Sets the PEM file with the private key.
     * @param keyLocation the file's location, or {@code null} to generate a key pair */
    public void setKeyLocation(@Nullable String keyLocation) {
        this.keyLocation = keyLocation;
    }
}
