package dev.tokenstarter.token.internal.endpoint;

import java.net.URI;

/**
 * Creates the signed JWT a client authenticates with ({@code client_assertion}, RFC 7523 §2.2): a new one
 * for every token request, with its own {@code jti}. Signing costs CPU time (an RSA signature about a
 * millisecond), so the endpoint client never calls this on a non-blocking thread such as a Netty event loop.
 */
@FunctionalInterface
public interface ClientAssertion {

    /** The {@code client_assertion_type} of a JWT assertion. */
    String JWT_BEARER_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /**
     * @param clientId the client id: the assertion's {@code iss} and {@code sub}
     * @param tokenEndpoint the endpoint the assertion is sent to: its {@code aud} unless one is configured
     * @return the compact serialization of a new signed JWT
     */
    String create(String clientId, URI tokenEndpoint);
}
