package dev.tokenstarter.token;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Printing URIs that may carry credentials.
 */
class SecretsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://auth.example.com/oauth/token                           | https://auth.example.com/oauth/token
            https://user:pw-7Hq2xV9p@auth.example.com:8443/token           | https://auth.example.com:8443/token
            https://auth.example.com/token?api_key=key-3Jd8sW1q#frag       | https://auth.example.com/token?…
            https://user:pw-7Hq2xV9p@auth_host.internal/token?k=key-3Jd8sW1q | https://auth_host.internal/token?…
            user:pw-7Hq2xV9p@auth.example.com/token                        | user:…
            //user:pw-7Hq2xV9p@auth.example.com/token                      | //auth.example.com/token
            auth.example.com/token?api_key=key-3Jd8sW1q                    | auth.example.com/token?…
            """)
    void aUriIsPrintedWithoutUserInfoQueryOrFragment(String uri, String printed) {
        String redacted = Secrets.redact(URI.create(uri));

        assertThat(redacted).isEqualTo(printed).doesNotContain("pw-7Hq2xV9p").doesNotContain("key-3Jd8sW1q");
    }
}
