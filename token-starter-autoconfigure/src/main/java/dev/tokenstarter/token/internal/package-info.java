/**
 * The starter's internals: the caching provider (snapshot, single flight, backoff) and what it is built from,
 * and below it the internal packages of health and metrics, the scheduled refresher, sharing on Redis and
 * signed client assertions. Public only because another package of the starter, or the benchmarks, needs it:
 * applications use {@link dev.tokenstarter.token.TokenProvider} and {@link dev.tokenstarter.token.TokenClients}.
 */
@NullMarked
package dev.tokenstarter.token.internal;

import org.jspecify.annotations.NullMarked;
