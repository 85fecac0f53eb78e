/**
 * Health, metrics and actuator masking of the token clients.
 */
@NullMarked
package dev.tokenstarter.token.internal.actuate;

import org.jspecify.annotations.NullMarked;
