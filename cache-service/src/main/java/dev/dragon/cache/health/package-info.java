/** Liveness of cache-service over gRPC, for the services that call it. */
package dev.dragon.cache.health;
