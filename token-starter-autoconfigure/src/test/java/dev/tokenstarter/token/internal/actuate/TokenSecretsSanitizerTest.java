package dev.tokenstarter.token.internal.actuate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which keys the sanitizer masks in {@code /actuator/env} (keys as written in their property source) and
 * {@code /actuator/configprops} (bean property paths).
 */
class TokenSecretsSanitizerTest {

    private final TokenSecretsSanitizer sanitizer = new TokenSecretsSanitizer();

    private Object sanitized(String key) {
        return sanitizer.apply(new SanitizableData(null, key, "value-7Hq2xV9pLm")).getValue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "api.auth.client-secret", "api.auth.clients.orders.clientSecret", "API_AUTH_PASSWORD",
            "api.auth.shared.encryption-key", "api.auth.clients.orders.shared.encryptionKey", "API_AUTH_SHARED_ENCRYPTIONKEY",
            "api.auth.refresh-token", "api.auth.client-assertion.private-key", "api.auth.clients.orders.client-assertion.private-key-password",
            "API_AUTH_CLIENTASSERTION_PRIVATEKEY", "api.auth.clientAssertion.privateKey",
            "api.auth.token-exchange.subject-token.value", "api.auth.clients.a.token-exchange.actor-token.value",
            "API_AUTH_TOKENEXCHANGE_SUBJECTTOKEN_VALUE", "api.auth.tokenExchange.subjectToken.value",
            "api.auth.jwt-bearer.assertion.value", "api.auth.request.extra-parameters.api_key",
            "api.auth.request.extra-parameters[api_key]", "api.auth.request.extraParameters.apiKey",
            "API_AUTH_REQUEST_EXTRAPARAMETERS_APIKEY", "api.auth.request.headers.X-Api-Key",
            "api.auth.request.headers[X-Api-Key]", "API_AUTH_REQUEST_HEADERS_XAPIKEY",
            "api.auth.clients.orders.request.extra-parameters.tenant",
            "api.auth.clients[orders].request.headers[X-Api-Key]",
            "api.auth.clients.orders.request.extraParameters.apiKey", "api.auth.clients.my-client.request.headers.x-api-key",
            "API_AUTH_CLIENTS_ORDERS_REQUEST_EXTRAPARAMETERS_APIKEY" })
    void masksSecretsAndEveryExtraParameterAndHeaderValue(String key) {
        assertThat(sanitized(key)).isEqualTo(SanitizableData.SANITIZED_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "api.auth.extra-parameters.api_key", "api.auth.extraParameters.apiKey",
            "API_AUTH_EXTRAPARAMETERS_APIKEY", "api.auth.headers[X-Api-Key]", "API_AUTH_HEADERS_XAPIKEY",
            "api.auth.clients[orders].headers[X-Api-Key]", "api.auth.clients.orders.extra-parameters.tenant" })
    void masksExtraParametersAndHeadersLeftUnderTheirKeysFromBefore1_0(String key) {
        assertThat(sanitized(key)).isEqualTo(SanitizableData.SANITIZED_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "api.auth.client-id", "api.auth.token-uri", "api.auth.header.name", "api.auth.header.scheme",
            "api.auth.clients.orders.base-url", "api.auth.clients.headers.token-uri", "server.headers.x",
            "other.auth.extra-parameters.x", "other.auth.request.headers.x", "api.auth.request.method",
            "api.auth.clients.request.token-uri" })
    void leavesOtherKeysAlone(String key) {
        assertThat(sanitized(key)).isEqualTo("value-7Hq2xV9pLm");
    }
}
