/**
 * Wiring only: binds {@code api.auth} to {@link dev.tokenstarter.token.autoconfigure.TokenClientProperties},
 * validates it with startup errors that name the property, and registers each client's provider,
 * refresher, WebClient, RestClient and HTTP service group configuration as beans, plus health, metrics and
 * sanitizing when Actuator and Micrometer are present.
 */
@NullMarked
package dev.tokenstarter.token.autoconfigure;

import org.jspecify.annotations.NullMarked;
