/** Follows dragon.adapters: verifies each PC adapter version and makes the live one current in the engine, atomically. */
package dev.dragon.router.adapters;
