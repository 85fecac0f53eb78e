/**
 * Calling a token endpoint: the request (grants, client authentication, body formats) and the
 * parsing of its answer into a token or a specific error.
 */
@NullMarked
package dev.tokenstarter.token.internal.endpoint;

import org.jspecify.annotations.NullMarked;
