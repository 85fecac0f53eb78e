/**
 * On-behalf-of clients: the incoming request's bearer token, read from Spring Security's context, exchanged per
 * subject (cached per subject token, bounded) or relayed unchanged. Internal: not part of the starter's API.
 */
@NullMarked
package dev.tokenstarter.token.internal.obo;

import org.jspecify.annotations.NullMarked;
