package dev.tokenstarter.token.actuate;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks client secrets, passwords and tokens in {@code /actuator/env} and {@code /actuator/configprops}
 * even when an application sets {@code show-values} to {@code always} or {@code when-authorized}: any key
 * whose last part is a client secret, password, refresh token or access token (in any spelling:
 * {@code client-secret}, {@code clientSecret}, {@code CLIENT_SECRET}).
 */
public final class TokenSecretsSanitizer implements SanitizingFunction {

    private static final Set<String> SECRET_SUFFIXES = Set.of("clientsecret", "password", "refreshtoken",
            "accesstoken");

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getLowerCaseKey().replace("-", "").replace("_", "");
        for (String suffix : SECRET_SUFFIXES) {
            if (key.endsWith(suffix)) {
                return data.withSanitizedValue();
            }
        }
        return data;
    }
}
