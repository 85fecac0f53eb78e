package dev.tokenstarter.token.autoconfigure;

import org.springframework.beans.factory.BeanFactory;

import dev.tokenstarter.token.internal.web.HttpClientRedirects;

/** Refuses {@code apply-to-all-clients} where the application's own clients would forward the token on redirect. */
final class CredentialForwarding {

    private CredentialForwarding() {
    }

    /**
     * @param beanFactory where the application's HTTP client settings live
     * @param reactive whether the WebClient connector (else the RestClient/RestTemplate factory) is checked
     * @throws InvalidTokenClientPropertyException when they would (see
     * {@link HttpClientRedirects#credentialForwardingClient})
     */
    static void refuse(BeanFactory beanFactory, boolean reactive) {
        String key = HttpClientRedirects.credentialForwardingClient(beanFactory, reactive);
        if (key == null) {
            return;
        }
        int first = HttpClientRedirects.FIRST_JDK_STRIPPING_CREDENTIALS;
        throw new InvalidTokenClientPropertyException(TokenClientsProperties.PREFIX + ".apply-to-all-clients",
                "the application's " + (reactive ? "WebClients" : "RestClients and RestTemplates") + " use the JDK "
                        + "HttpClient (" + key + "), which on Java " + Runtime.version().feature() + " follows "
                        + "redirects with the Authorization and Cookie headers even to another host, so the token "
                        + "would leave its API",
                "Set " + key + " to reactor, jetty or http-components, set spring.http.clients.redirects=dont-follow, "
                        + "run on Java " + first + " or newer, or inject the preconfigured "
                        + "<name>WebClient / <name>RestClient instead of apply-to-all-clients.");
    }
}
