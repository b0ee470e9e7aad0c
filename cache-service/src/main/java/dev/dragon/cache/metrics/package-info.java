/** cache-service metrics, named as in docs/metrics.md. */
package dev.dragon.cache.metrics;
