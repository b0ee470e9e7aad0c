/** LocalEngine: continuous batching of generation requests over the forward pass, streaming tokens to callbacks. */
package dev.dragon.core.engine;
