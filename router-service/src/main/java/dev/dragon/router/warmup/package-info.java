/** Ready means warm: the router's own real requests run before it reports ready. */
package dev.dragon.router.warmup;
