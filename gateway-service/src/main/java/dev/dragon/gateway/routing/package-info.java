/** Routes to router-service: replicas, circuit breaker, retries that are safe, and the JSON fallback. */
package dev.dragon.gateway.routing;
