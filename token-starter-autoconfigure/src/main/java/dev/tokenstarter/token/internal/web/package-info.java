/**
 * What the WebClient filter and the RestClient interceptor share: the decision per request, the token's
 * destinations, redirects (read from the application's settings and decided per hop, here only), and the one
 * way to point an HTTP client at a token client.
 */
@NullMarked
package dev.tokenstarter.token.internal.web;

import org.jspecify.annotations.NullMarked;
