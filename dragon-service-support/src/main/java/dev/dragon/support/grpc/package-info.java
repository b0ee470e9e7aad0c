/** Request-id propagation through gRPC metadata, for the router's calls to experts and caches. */
package dev.dragon.support.grpc;
