/**
 * Everything that signs with Nimbus JOSE+JWT, an optional dependency: the classes here are loaded only
 * when a client is configured for a method that needs them.
 */
@NullMarked
package dev.tokenstarter.token.internal.jose;

import org.jspecify.annotations.NullMarked;
