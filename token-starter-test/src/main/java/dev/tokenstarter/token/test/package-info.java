/**
 * Test support: a token endpoint on loopback whose answers, lifetimes and outages a test controls, with an
 * API beside it that accepts only the tokens the endpoint issued and that are still valid.
 */
@NullMarked
package dev.tokenstarter.token.test;

import org.jspecify.annotations.NullMarked;
