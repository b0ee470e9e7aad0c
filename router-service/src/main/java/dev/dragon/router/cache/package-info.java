/** The router's side of the shared caches: request keys and prefix hashes, and gRPC clients that bypass the cache when it is down. */
package dev.dragon.router.cache;
