package dev.tokenstarter.token.internal.actuate;

import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks client secrets, passwords and tokens in {@code /actuator/env} and {@code /actuator/configprops}
 * even when an application sets {@code show-values} to {@code always} or {@code when-authorized}: any key
 * whose last part is a client secret, password, private key, refresh token, access token or encryption key
 * (in any spelling: {@code client-secret}, {@code clientSecret}, {@code CLIENT_SECRET}), the {@code value} of a
 * subject token, actor token or JWT bearer assertion, and every value under a token client's {@code request.extra-parameters} and {@code request.headers} ({@code api.auth.} or
 * {@code api.auth.clients.<name>.}), which non-standard endpoints use for API keys. The same maps without
 * {@code request.}, where they lived before 1.0, stay masked too: a value left under an old key is no less
 * secret for no longer being bound.
 */
public final class TokenSecretsSanitizer implements SanitizingFunction {

    private static final Set<String> SECRET_SUFFIXES = Set.of("clientsecret", "password", "refreshtoken", "privatekey",
            "accesstoken", "encryptionkey");

    /**
     * A token client's extra parameter or header, as a property ({@code api.auth.request.headers.X-Api-Key},
     * {@code api.auth.clients.orders.request.extra-parameters[key]}), an environment variable
     * ({@code API_AUTH_REQUEST_EXTRAPARAMETERS_KEY}) or a configprops path
     * ({@code api.auth.request.extraParameters.key}), lower-cased, without dashes, with brackets as dots.
     */
    private static final Pattern CLIENT_MAP_ENTRY = Pattern
        .compile("api[._]auth[._](clients[._].+[._])?(request[._])?(extra_?parameters|headers)([._].*)?");

    /** The value of a grant's credential: the token exchange's subject or actor token, the JWT bearer assertion. */
    private static final Pattern GRANT_CREDENTIAL = Pattern.compile(".*(subjecttoken|actortoken|assertion)[._]value");

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getLowerCaseKey().replace("-", "");
        if (CLIENT_MAP_ENTRY.matcher(key.replace('[', '.').replace("]", "")).matches()
                || GRANT_CREDENTIAL.matcher(key).matches()) {
            return data.withSanitizedValue();
        }
        String name = key.replace("_", "");
        for (String suffix : SECRET_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return data.withSanitizedValue();
            }
        }
        return data;
    }
}
