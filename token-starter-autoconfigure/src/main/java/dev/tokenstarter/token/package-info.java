/**
 * The token core: the token value, the caching provider that keeps it valid (single flight, refresh
 * window, backoff), and the interfaces around it. No Spring Boot and no Spring Web types.
 */
@NullMarked
package dev.tokenstarter.token;

import org.jspecify.annotations.NullMarked;
