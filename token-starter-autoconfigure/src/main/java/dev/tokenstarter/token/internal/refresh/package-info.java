/**
 * Refreshing tokens ahead of expiry on a schedule.
 */
@NullMarked
package dev.tokenstarter.token.internal.refresh;

import org.jspecify.annotations.NullMarked;
