/**
 * One token for the whole fleet: instances of an application share a client's token, its refresh and a
 * refresh lock through Redis (Spring Data Redis with Lettuce), decorating the client's token source.
 * {@link dev.tokenstarter.token.internal.shared.SharedTokens} is the public entry: it builds the client's provider
 * with the shared source and connects to it; its status is what health and metrics read. The parts are
 * package-private, one role each: the source, the subscriber to other instances' tokens, the listener to
 * the end of rejections, the counters, and the connection to Redis with its degraded mode.
 */
@NullMarked
package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.NullMarked;
