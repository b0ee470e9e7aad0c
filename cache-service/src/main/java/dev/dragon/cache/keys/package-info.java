/** The cache schema in Redis: validated key parts and the key layout (the only place keys are spelled). */
package dev.dragon.cache.keys;
