package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import dev.tokenstarter.token.endpoint.GrantType;

/**
 * The checks of a client's {@code on-behalf-of.*} settings, run first by {@link TokenClientPropertiesValidator}.
 */
final class OnBehalfOfValidation {

    /** Spring Security's context, where the incoming token is read. */
    static final String SECURITY_CONTEXT = "org.springframework.security.core.context.SecurityContextHolder";

    /** Spring Security's OAuth 2.0 token type, whose value an on-behalf-of client reads. */
    static final String OAUTH2_TOKEN = "org.springframework.security.oauth2.core.AbstractOAuth2Token";

    private OnBehalfOfValidation() {
    }

    /**
     * @return whether the client relays the incoming token (then it has no token endpoint to check)
     * @throws InvalidTokenClientPropertyException for the first problem found
     */
    static boolean check(String prefix, TokenClientProperties properties, @Nullable ClassLoader classLoader) {
        OnBehalfOfProperties onBehalfOf = properties.getOnBehalfOf();
        OnBehalfOfProperties.Mode mode = onBehalfOf.getMode();
        if (mode == null || mode == OnBehalfOfProperties.Mode.NONE) {
            return false;
        }
        String name = prefix + ".on-behalf-of.mode";
        if (!ClassUtils.isPresent(SECURITY_CONTEXT, classLoader) || !ClassUtils.isPresent(OAUTH2_TOKEN, classLoader)) {
            throw new InvalidTokenClientPropertyException(name, "it is " + mode + ", which reads the incoming token from "
                    + "Spring Security's SecurityContext, and Spring Security (spring-security-core and "
                    + "spring-security-oauth2-core) is not on the classpath", "Add spring-boot-starter-security-oauth2-"
                            + "resource-server, which authenticates the incoming bearer tokens, or remove the setting.");
        }
        if (properties.getShared().isEnabled()) {
            throw new InvalidTokenClientPropertyException(prefix + ".shared.enabled", "per-user tokens never go to "
                    + "Redis, and on-behalf-of.mode " + mode + " gives this client a token per incoming token",
                    "Switch off shared.enabled for this client.");
        }
        if (!properties.hasScope()) {
            throw new InvalidTokenClientPropertyException(prefix + ".base-url", "it is not set, and neither is "
                    + "allowed-hosts, so no request could carry the token of on-behalf-of.mode " + mode,
                    "Set base-url (or allowed-hosts) to the API called on behalf of the user.");
        }
        if (mode == OnBehalfOfProperties.Mode.RELAY) {
            if (properties.getTokenUri() != null || properties.getIssuerUri() != null) {
                throw new InvalidTokenClientPropertyException(prefix + ((properties.getTokenUri() != null)
                        ? ".token-uri" : ".issuer-uri"), "it is set, but on-behalf-of.mode RELAY sends the incoming "
                                + "token unchanged and never calls a token endpoint", "Remove it, or set "
                                        + "on-behalf-of.mode to EXCHANGE to obtain a token for the user.");
            }
            return true;
        }
        if (onBehalfOf.getMaxEntries() < 1) {
            throw new InvalidTokenClientPropertyException(prefix + ".on-behalf-of.max-entries", "it is "
                    + onBehalfOf.getMaxEntries() + ", but the cache of exchanged tokens needs room for one at least",
                    "Use a bound such as 1000.");
        }
        if (properties.getIssuerUri() != null) {
            throw new InvalidTokenClientPropertyException(prefix + ".issuer-uri", "on-behalf-of.mode EXCHANGE does not "
                    + "discover its token endpoint yet", "Set token-uri to the token endpoint instead.");
        }
        GrantType grant = properties.getGrantType();
        CredentialProperties subject = (grant == GrantType.TOKEN_EXCHANGE) ? properties.getTokenExchange().getSubjectToken()
                : (grant == GrantType.JWT_BEARER) ? properties.getJwtBearer().getAssertion() : null;
        if (subject == null) {
            throw new InvalidTokenClientPropertyException(prefix + ".grant-type", "it is " + grant.tag() + ", but "
                    + "on-behalf-of.mode EXCHANGE needs a grant that takes the incoming token as its subject",
                    "Set grant-type to token-exchange (RFC 8693) or jwt-bearer (RFC 7523, e.g. Entra ID's on-behalf-of "
                            + "with request.extra-parameters.requested_token_use=on_behalf_of).");
        }
        if (subject.sources() > 0) {
            String property = (grant == GrantType.TOKEN_EXCHANGE) ? "token-exchange.subject-token" : "jwt-bearer.assertion";
            throw new InvalidTokenClientPropertyException(prefix + "." + property, "it is set, but with on-behalf-of.mode "
                    + "EXCHANGE the incoming token is the subject", "Remove " + prefix + "." + property + ".");
        }
        return false;
    }
}
