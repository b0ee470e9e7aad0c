/** The gateway's metrics (docs/metrics.md, gateway table) and the filter that records every request. */
package dev.dragon.gateway.metrics;
