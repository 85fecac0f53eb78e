/**
 * DPoP (RFC 9449): the algorithms a client's key may use ({@code dpop.algorithm}). The keys and proofs are
 * internal ({@code dev.tokenstarter.token.internal.dpop}).
 */
@NullMarked
package dev.tokenstarter.token.dpop;

import org.jspecify.annotations.NullMarked;
