/** The {@code dragon.contracts.v1.CacheService} gRPC endpoint: request validation and reactive-to-gRPC bridging. */
package dev.dragon.cache.grpc;
