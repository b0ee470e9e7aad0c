/** cache-service: the only owner of the cache schema in Redis (response and KV-state caches), served over gRPC. */
package dev.dragon.cache;
