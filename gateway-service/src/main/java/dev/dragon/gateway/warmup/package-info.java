/** Warm-up: real requests the gateway sends through itself before it reports ready. */
package dev.dragon.gateway.warmup;
