/**
 * Health, metrics and actuator masking of the token clients.
 */
@NullMarked
package dev.tokenstarter.token.actuate;

import org.jspecify.annotations.NullMarked;
