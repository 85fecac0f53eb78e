/**
 * The token endpoint as the configuration and the application see it: the grant, the client authentication
 * method and signing algorithm, the request body format and how a refresh token is presented (property
 * values), {@link dev.tokenstarter.token.endpoint.CredentialSource} for a subject token, actor token or
 * assertion supplied by a bean, and the exceptions that say how the endpoint answered. The client of the
 * endpoint itself is internal ({@code dev.tokenstarter.token.internal.endpoint}).
 */
@NullMarked
package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.NullMarked;
