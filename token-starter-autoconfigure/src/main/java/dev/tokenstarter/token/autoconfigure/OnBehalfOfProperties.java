package dev.tokenstarter.token.autoconfigure;

/**
 * Calling an API on behalf of the user whose request is being served: the client's token is obtained for, or
 * is, the bearer token of that request (Spring Security's {@code SecurityContext}).
 * The {@code on-behalf-of.*} keys of a client ({@link TokenClientProperties}).
 */
public class OnBehalfOfProperties {

    /**
     * Whose token the client sends. NONE: the application's own (one token for the whole application).
     * EXCHANGE: one per incoming token, from the client's grant with the incoming token as its subject (the
     * subject_token of grant-type token-exchange, the assertion of grant-type jwt-bearer), cached per subject.
     * RELAY: the incoming token itself, forwarded unchanged to this client's destinations only.
     */
    private Mode mode = Mode.NONE;

    /**
     * Most subjects whose exchanged tokens are kept (mode EXCHANGE); beyond it the least used are evicted.
     */
    private int maxEntries = 1000;

    /** Creates the settings with the defaults: the application's own token. */
    public OnBehalfOfProperties() {
    }

    /** {@return whose token the client sends} */
    public Mode getMode() {
        return this.mode;
    }

    /** Sets whose token the client sends.
     * @param mode the mode */
    public void setMode(Mode mode) {
        this.mode = mode;
    }

    /** {@return the most subjects whose exchanged tokens are kept} */
    public int getMaxEntries() {
        return this.maxEntries;
    }

    /** Sets the most subjects whose exchanged tokens are kept.
     * @param maxEntries the bound, at least 1 */
    public void setMaxEntries(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Whose token a client sends. */
    public enum Mode {

        /** The application's own token. */
        NONE,

        /** A token obtained per incoming token, with the incoming token as the grant's subject. */
        EXCHANGE,

        /** The incoming token itself. */
        RELAY
    }
}
