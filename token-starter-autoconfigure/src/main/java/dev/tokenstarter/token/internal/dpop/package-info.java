/**
 * DPoP (RFC 9449), client side: a key pair per client and the proof JWT that demonstrates possession of it
 * on token requests and API calls, with the servers' nonces. Depends on the core only; the endpoint client
 * and the web adapters use it.
 */
@NullMarked
package dev.tokenstarter.token.internal.dpop;

import org.jspecify.annotations.NullMarked;
