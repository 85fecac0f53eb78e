/**
 * One token for the whole fleet: instances of an application share a client's token, its refresh and a
 * refresh lock through Redis (Spring Data Redis with Lettuce), decorating the client's token source.
 */
@NullMarked
package dev.tokenstarter.token.shared;

import org.jspecify.annotations.NullMarked;
