package dev.tokenstarter.token.autoconfigure;

/**
 * A token client property is missing or wrong. Names the property, never its value when that is a secret.
 */
class InvalidTokenClientPropertyException extends RuntimeException {

    private final String property;

    private final String reason;

    private final String action;

    /**
     * @param property the full property name, e.g. {@code api.auth.token-uri}
     * @param reason what is wrong with it
     * @param action what to do about it
     */
    public InvalidTokenClientPropertyException(String property, String reason, String action) {
        super("Invalid token client property '" + property + "': " + reason);
        this.property = property;
        this.reason = reason;
        this.action = action;
    }

    public String property() {
        return this.property;
    }

    public String reason() {
        return this.reason;
    }

    public String action() {
        return this.action;
    }
}
