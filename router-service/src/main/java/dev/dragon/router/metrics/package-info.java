/** Router metrics of docs/metrics.md: the engine observer, request outcomes, and routing load over a sliding minute. */
package dev.dragon.router.metrics;
