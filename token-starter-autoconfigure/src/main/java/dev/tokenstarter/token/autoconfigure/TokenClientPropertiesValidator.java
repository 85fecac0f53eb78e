package dev.tokenstarter.token.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Contract;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.internal.dpop.DPoPKey;
import dev.tokenstarter.token.internal.dpop.InvalidDPoPKeyException;
import dev.tokenstarter.token.endpoint.ClientAuthMethod;
import dev.tokenstarter.token.endpoint.GrantType;
import dev.tokenstarter.token.internal.endpoint.LoopbackHosts;
import dev.tokenstarter.token.endpoint.RefreshTokenPresentation;
import dev.tokenstarter.token.endpoint.SigningAlgorithm;
import dev.tokenstarter.token.internal.web.TokenDestinations;

/**
 * Checks one client's properties at startup, so that a mistake fails fast with the property's name
 * instead of at the first API call.
 */
final class TokenClientPropertiesValidator {

    /** A refresh window longer than this is almost surely a unit mistake. */
    static final Duration MAX_REFRESH_BEFORE = Duration.ofHours(1);

    private static final Set<String> METHODS = Set.of("POST", "PUT", "GET");

    /** A property placeholder, as Spring leaves it when nothing resolves it: its name, without a default. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:\\s]+)(?::[^}]*)?}");

    private final String prefix;

    private final TokenClientProperties properties;

    private TokenClientPropertiesValidator(String prefix, TokenClientProperties properties) {
        this.prefix = prefix;
        this.properties = properties;
    }

    /**
     * @param prefix the client's property prefix, e.g. {@code api.auth} or {@code api.auth.clients.orders}
     * @param properties the bound properties
     * @throws InvalidTokenClientPropertyException for the first problem found
     */
    static void validate(String prefix, TokenClientProperties properties) {
        new TokenClientPropertiesValidator(prefix, properties).validate();
    }

    private void validate() {
        checkPlaceholders();
        boolean relay = OnBehalfOfValidation.check(prefix, properties, getClass().getClassLoader());
        URI tokenUri = properties.getTokenUri();
        URI issuerUri = properties.getIssuerUri();
        if (tokenUri == null && issuerUri == null && !relay) {
            throw invalid("token-uri", "it is not set, and neither is issuer-uri", "Set it to the token endpoint's URL, "
                    + "e.g. https://auth.example.com/oauth/token, or set issuer-uri to the server's issuer to discover it.");
        }
        if (tokenUri != null && issuerUri != null) {
            throw invalid("issuer-uri", "it is set together with token-uri, so one of them would be ignored",
                    "Set token-uri alone, or issuer-uri alone to read the token endpoint from the server's metadata.");
        }
        // exactly one of them is set from here on
        if (tokenUri != null) {
            checkUrl("token-uri", tokenUri);
        }
        if (issuerUri != null) {
            checkUrl("issuer-uri", issuerUri);
            if (issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
                throw invalid("issuer-uri", "an issuer identifier has no query or fragment (RFC 8414 §2)",
                        "Use the issuer as the server publishes it, e.g. https://auth.example.com/realms/shop.");
            }
        }
        if (properties.getBaseUrl() != null) {
            checkUrl("base-url", properties.getBaseUrl());
        }
        try {
            TokenDestinations.of(null, properties.getAllowedHosts());
        }
        catch (IllegalArgumentException ex) {
            throw invalid("allowed-hosts", String.valueOf(ex.getMessage()), "List origins (https://host[:port]) or host names.");
        }
        for (String entry : properties.getAllowedHosts()) {
            if (entry.contains("://")) {
                checkUrl("allowed-hosts", URI.create(entry.trim())); // an origin gets the same rules as base-url
            }
        }
        if (!relay) {
            checkCredentials();
        }
        RequestProperties request = properties.getRequest();
        RefreshProperties refresh = properties.getRefresh();
        checkPositive("request.connect-timeout", request.getConnectTimeout());
        checkPositive("request.read-timeout", request.getReadTimeout());
        checkPositive("refresh.wait-timeout", refresh.getWaitTimeout());
        checkPositive("response.default-lifetime", properties.getResponse().getDefaultLifetime());
        checkNotNegative("refresh.before", refresh.getBefore());
        checkNotNegative("refresh.expiry-margin", refresh.getExpiryMargin());
        checkNotNegative("refresh.jitter", refresh.getJitter());
        checkNotNegative("refresh.min-refetch-interval", refresh.getMinRefetchInterval());
        checkNotNegative("refresh.retry.initial-backoff", refresh.getRetry().getInitialBackoff());
        checkNotNegative("refresh.retry.max-backoff", refresh.getRetry().getMaxBackoff());
        if (refresh.getBefore().compareTo(MAX_REFRESH_BEFORE) > 0) {
            throw invalid("refresh.before", format(refresh.getBefore()) + " is longer than typical token lifetimes ("
                    + format(MAX_REFRESH_BEFORE) + ")", "Use a window such as 60s; it is capped at half the token's lifetime anyway.");
        }
        if (refresh.getExpiryMargin().compareTo(refresh.getBefore()) > 0) {
            throw invalid("refresh.expiry-margin", format(refresh.getExpiryMargin()) + " is longer than refresh.before ("
                    + format(refresh.getBefore()) + ")", "Make refresh.expiry-margin shorter than refresh.before.");
        }
        if (refresh.getRetry().getMaxBackoff().compareTo(refresh.getRetry().getInitialBackoff()) < 0) {
            throw invalid("refresh.retry.max-backoff", "it is shorter than refresh.retry.initial-backoff",
                    "Make refresh.retry.max-backoff at least refresh.retry.initial-backoff.");
        }
        if (request.getMaxResponseSize() == null || request.getMaxResponseSize().toBytes() <= 0
                || request.getMaxResponseSize().toBytes() > Integer.MAX_VALUE) {
            throw invalid("request.max-response-size", "it must be between 1 byte and 2 GB", "Use a size such as 1MB.");
        }
        if (!METHODS.contains(String.valueOf(request.getMethod()).toUpperCase(Locale.ROOT))) {
            throw invalid("request.method", "'" + request.getMethod() + "' is not one of " + METHODS, "Use POST unless the "
                    + "endpoint requires PUT or GET.");
        }
        if ("GET".equalsIgnoreCase(request.getMethod()) && sendsSecretParameters()) {
            throw invalid("request.method", "GET would put the client secret or assertion, password, refresh token or "
                    + "request.extra-parameters into the URL, where access logs keep them", "Use POST (or PUT), or "
                    + "client-secret-basic with the client_credentials grant and no request.extra-parameters "
                    + "(request.headers stay out of the URL).");
        }
        if (request.getRefreshTokenPresentation() == RefreshTokenPresentation.BEARER_HEADER
                && properties.getClientAuthMethod() == ClientAuthMethod.CLIENT_SECRET_BASIC) {
            throw invalid("request.refresh-token-presentation", "it is bearer-header, which sends the refresh token in "
                    + "the Authorization header, and " + prefix + ".client-auth-method is client-secret-basic (the default), "
                    + "which needs that header for the client credentials", "Set " + prefix + ".client-auth-method to "
                            + "client-secret-post (the credentials go in the form) or none, or present the refresh token "
                            + "as form-parameter.");
        }
        if (request.getRefreshTokenPresentation() == RefreshTokenPresentation.BEARER_HEADER
                && request.getHeaders().keySet().stream().anyMatch(HttpHeaders.AUTHORIZATION::equalsIgnoreCase)) {
            throw invalid("request.headers", "it sets Authorization, which request.refresh-token-presentation "
                    + "bearer-header uses for the refresh token", "Remove the Authorization entry from " + prefix
                            + ".request.headers, or present the refresh token as form-parameter.");
        }
        String header = properties.getHeader().getName();
        if (header == null || !header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw invalid("header.name", "'" + header + "' is not a valid HTTP header name",
                    "Use a header name such as Authorization or X-Auth-Token.");
        }
        checkResponseMapping();
        checkDpop();
        checkShared();
    }

    /**
     * A secret (or a secret's location) that is still an unresolved {@code ${…}}: Spring leaves a placeholder
     * it cannot resolve as it is, and its text would be sent as the secret. Only the placeholder is quoted,
     * never the rest of the value.
     */
    private void checkPlaceholders() {
        Map<String, @Nullable String> secrets = new LinkedHashMap<>();
        secrets.put("client-secret", properties.getClientSecret());
        secrets.put("password", properties.getPassword());
        secrets.put("refresh-token", properties.getRefreshToken());
        secrets.put("client-assertion.private-key", properties.getClientAssertion().getPrivateKey());
        secrets.put("client-assertion.private-key-password", properties.getClientAssertion().getPrivateKeyPassword());
        credential(secrets, "token-exchange.subject-token", properties.getTokenExchange().getSubjectToken());
        credential(secrets, "token-exchange.actor-token", properties.getTokenExchange().getActorToken());
        credential(secrets, "jwt-bearer.assertion", properties.getJwtBearer().getAssertion());
        secrets.put("shared.encryption-key", properties.getShared().getEncryptionKey());
        secrets.put("dpop.key-location", properties.getDpop().getKeyLocation());
        // header and parameter values may be secrets too (an API key): the sanitizer treats them so
        properties.getRequest().getHeaders().forEach((name, value) -> secrets.put("request.headers." + name, value));
        properties.getRequest().getExtraParameters()
            .forEach((name, value) -> secrets.put("request.extra-parameters." + name, value));
        secrets.forEach((property, value) -> {
            Matcher placeholder = (value != null) ? PLACEHOLDER.matcher(value) : null;
            if (placeholder != null && placeholder.find()) {
                String name = placeholder.group(1);
                throw invalid(property, "it holds the unresolved placeholder " + placeholder.group()
                        + ": no property or environment variable " + name + " is set, so the placeholder's text would "
                        + "be used as the value", "Set the environment variable (or property) " + name + ", or give "
                                + prefix + "." + property + " a value.");
            }
        });
    }

    private static void credential(Map<String, @Nullable String> secrets, String property,
            CredentialProperties credential) {
        secrets.put(property + ".value", credential.getValue());
        secrets.put(property + ".location", credential.getLocation());
    }

    private void checkShared() {
        SharedProperties shared = properties.getShared();
        checkPositive("shared.command-timeout", shared.getCommandTimeout());
        String keyPrefix = shared.getKeyPrefix();
        if (keyPrefix != null && keyPrefix.startsWith("}")) {
            throw invalid("shared.key-prefix", "'" + keyPrefix + "' starts with '}', so its keys cannot be given a "
                    + "Redis Cluster hash tag (the part between the first '{' and the next '}' would be empty)",
                    "Start the prefix with another character, e.g. 'orders' or 'orders:{eu}'.");
        }
        String key = shared.getEncryptionKey();
        if (key != null && !key.isEmpty()) {
            byte[] decoded;
            try {
                decoded = java.util.Base64.getDecoder().decode(key.trim());
            }
            catch (IllegalArgumentException ex) {
                decoded = new byte[0];
            }
            if (decoded.length != 32) {
                throw invalid("shared.encryption-key", "it is not a 256-bit key in base64 (the value is not shown)",
                        "Generate one with: openssl rand -base64 32");
            }
        }
    }

    private void checkDpop() {
        DpopProperties dpop = properties.getDpop();
        if (!dpop.isEnabled()) {
            return;
        }
        if (dpop.getAlgorithm() == null) {
            throw invalid("dpop.algorithm", "it is not set", "Use ES256 (the default), ES384 or RS256.");
        }
        if (!"Authorization".equalsIgnoreCase(properties.getHeader().getName())) {
            throw invalid("header.name", "'" + properties.getHeader().getName() + "' cannot carry a DPoP-bound token, "
                    + "which RFC 9449 puts into the Authorization header", "Remove header.name, or switch DPoP off "
                            + "(dpop.enabled=false).");
        }
        if (properties.getShared().isEnabled()) {
            throw invalid("dpop.enabled", "a DPoP-bound token is bound to this instance's key, so it cannot be shared "
                    + "with other instances (shared.enabled)", "Switch off either shared.enabled or dpop.enabled.");
        }
        if (!isBlank(dpop.getKeyLocation())) {
            try {
                DPoPKey.load(dpop.getKeyLocation(), dpop.getAlgorithm());
            }
            catch (InvalidDPoPKeyException ex) {
                throw invalid("dpop.key-location", String.valueOf(ex.getMessage()), "Point it at a PEM private key for "
                        + dpop.getAlgorithm() + " (" + ("EC".equals(dpop.getAlgorithm().keyType())
                                ? "an EC key on P-" + dpop.getAlgorithm().name().substring(2)
                                : "an RSA key of at least 2048 bits")
                        + "), set dpop.algorithm to match the key, or leave it empty for a key generated at startup.");
            }
        }
    }

    private void checkResponseMapping() {
        if (isBlank(properties.getResponse().getAccessToken())) {
            throw invalid("response.access-token", "it is empty, so no token could be read from any response",
                    "Set it to the field holding the token: a name such as access_token, or a JSON pointer such as "
                            + "/data/token.");
        }
    }

    private void checkCredentials() {
        GrantType grant = properties.getGrantType();
        ClientAuthMethod auth = properties.getClientAuthMethod();
        if (auth != ClientAuthMethod.NONE) {
            if (isBlank(properties.getClientId())) {
                throw invalid("client-id", "it is required by client-auth-method " + auth.name().toLowerCase(Locale.ROOT),
                        "Set the client id, or set client-auth-method to none for a public client.");
            }
            if (auth.usesClientCertificate() && isBlank(properties.getRequest().getSsl().getBundle())) {
                throw invalid("request.ssl.bundle", "it is not set, but client-auth-method "
                        + auth.name().toLowerCase(Locale.ROOT) + " authenticates with the client certificate of the "
                        + "TLS connection", "Set it to an SSL bundle with a key store holding the client certificate "
                                + "and key, e.g. spring.ssl.bundle.pem.client.keystore.certificate and .private-key.");
            }
            if (isBlank(properties.getClientSecret()) && auth != ClientAuthMethod.PRIVATE_KEY_JWT
                    && !auth.usesClientCertificate()) {
                throw invalid("client-secret", "it is required by client-auth-method "
                        + auth.name().toLowerCase(Locale.ROOT), "Set the client secret, e.g. from an environment "
                                + "variable: client-secret: ${MY_CLIENT_SECRET}.");
            }
        }
        if (auth.usesClientAssertion()) {
            checkClientAssertion(auth);
        }
        if (grant == GrantType.PASSWORD) {
            if (isBlank(properties.getUsername())) {
                throw invalid("username", "it is required by the password grant", "Set the resource owner's username.");
            }
            if (isBlank(properties.getPassword())) {
                throw invalid("password", "it is required by the password grant", "Set the resource owner's password.");
            }
        }
        if (grant == GrantType.TOKEN_EXCHANGE) {
            TokenExchangeProperties exchange = properties.getTokenExchange();
            if (properties.getOnBehalfOf().getMode() == OnBehalfOfProperties.Mode.NONE) { // else the incoming token
                checkOneSource("token-exchange.subject-token", exchange.getSubjectToken(), "the token exchange grant");
            }
            if (exchange.getActorToken().sources() > 1) {
                checkOneSource("token-exchange.actor-token", exchange.getActorToken(), "an actor token");
            }
            if (isBlank(exchange.getSubjectTokenType())) {
                throw invalid("token-exchange.subject-token-type", "it is empty", "Set the subject token's type, e.g. "
                        + "urn:ietf:params:oauth:token-type:jwt or urn:ietf:params:oauth:token-type:access_token.");
            }
        }
        if (grant == GrantType.JWT_BEARER && properties.getOnBehalfOf().getMode() == OnBehalfOfProperties.Mode.NONE) {
            checkOneSource("jwt-bearer.assertion", properties.getJwtBearer().getAssertion(), "the jwt-bearer grant");
        }
        if (grant == GrantType.REFRESH_TOKEN && isBlank(properties.getRefreshToken())) {
            throw invalid("refresh-token", "it is required by the refresh_token grant", "Set the initial refresh token.");
        }
    }

    private void checkOneSource(String name, CredentialProperties credential, String neededBy) {
        if (credential.sources() != 1) {
            throw invalid(name, (credential.sources() == 0) ? "it is not set, but " + neededBy + " needs it"
                    : "more than one of " + name + ".value, .location and .bean is set", "Set exactly one: " + name
                            + ".value, " + name + ".location (a file read again when it changes) or " + name
                            + ".bean (a CredentialSource bean).");
        }
    }

    private void checkClientAssertion(ClientAuthMethod auth) {
        ClientAssertionProperties assertion = properties.getClientAssertion();
        SigningAlgorithm algorithm = assertion.getAlgorithm();
        if (auth == ClientAuthMethod.PRIVATE_KEY_JWT) {
            boolean pem = !isBlank(assertion.getPrivateKey());
            boolean bundle = !isBlank(assertion.getSslBundle());
            if (pem == bundle) {
                throw invalid("client-assertion.private-key", pem ? "it is set together with client-assertion.ssl-bundle"
                        : "it is not set, and neither is client-assertion.ssl-bundle, but client-auth-method "
                                + "private_key_jwt signs with a private key", "Set one of them: client-assertion.private-key "
                                        + "to a PEM file such as file:/etc/keys/client-key.pem, or client-assertion.ssl-bundle "
                                        + "to the name of an SSL bundle (spring.ssl.bundle.*) that holds the key.");
            }
            if (algorithm != null && algorithm.isMac()) {
                throw invalid("client-assertion.algorithm", algorithm + " signs with the client secret, not a private key",
                        "Use RS256, PS256 or ES256 (or another RSA or EC algorithm) with private_key_jwt, or "
                                + "client-auth-method client_secret_jwt for " + algorithm + ".");
            }
        }
        else if (algorithm != null && !algorithm.isMac()) {
            throw invalid("client-assertion.algorithm", algorithm + " signs with a private key, but client_secret_jwt "
                    + "signs with the client secret", "Use HS256, HS384 or HS512, or client-auth-method private_key_jwt "
                            + "with client-assertion.private-key for " + algorithm + ".");
        }
        checkPositive("client-assertion.lifetime", assertion.getLifetime());
    }

    private boolean sendsSecretParameters() {
        return properties.getClientAuthMethod() == ClientAuthMethod.CLIENT_SECRET_POST
                || properties.getClientAuthMethod().usesClientAssertion()
                || properties.getGrantType() == GrantType.TOKEN_EXCHANGE || properties.getGrantType() == GrantType.JWT_BEARER
                || properties.getGrantType() == GrantType.PASSWORD || properties.getGrantType() == GrantType.REFRESH_TOKEN
                || !properties.getRequest().getExtraParameters().isEmpty(); // their values are treated as secrets, like API keys
    }

    private void checkUrl(String name, URI uri) {
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
        if (!uri.isAbsolute() || uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw invalid(name, "'" + Secrets.redact(uri) + "' is not an absolute http(s) URL with a host",
                    "Use a URL such as https://host.example.com/path.");
        }
        if ("http".equals(scheme) && !properties.isAllowInsecureHttp() && !LoopbackHosts.isLoopback(uri.getHost())) {
            throw invalid(name, "'" + Secrets.redact(uri) + "' uses plain http to a non-loopback host, so secrets and tokens would "
                    + "travel unencrypted", "Use https, or set " + prefix + ".allow-insecure-http=true if you accept that.");
        }
    }

    private void checkPositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name, "it must be positive, got " + format(value), "Use a positive duration such as 10s.");
        }
    }

    private void checkNotNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(name, "it must not be negative, got " + format(value), "Use a duration such as 30s, or 0s.");
        }
    }

    /** {@code PT1M30S} as {@code 1m30s}, the way it is written in properties. */
    private static String format(Duration value) {
        return (value != null) ? value.toString().substring(2).toLowerCase(Locale.ROOT) : "nothing";
    }

    @Contract("null -> true")
    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private InvalidTokenClientPropertyException invalid(String name, String reason, String action) {
        return new InvalidTokenClientPropertyException(prefix + "." + name, reason, action);
    }
}
