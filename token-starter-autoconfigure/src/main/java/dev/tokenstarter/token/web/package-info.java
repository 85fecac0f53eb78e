/**
 * Putting the token on requests: the WebClient filter, the RestClient interceptor, where a token may
 * go, and how redirects are followed.
 */
@NullMarked
package dev.tokenstarter.token.web;

import org.jspecify.annotations.NullMarked;
