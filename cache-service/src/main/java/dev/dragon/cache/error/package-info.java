/** cache-service's exception family and the one place that maps it to gRPC status, HTTP error body and metric. */
package dev.dragon.cache.error;
