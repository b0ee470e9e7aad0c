/** cache-service configuration: the one {@code CacheProperties} record and the Redis client wiring. */
package dev.dragon.cache.config;
