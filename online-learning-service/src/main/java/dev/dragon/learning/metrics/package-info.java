/** The learner's Micrometer meters (names in docs/metrics.md). */
package dev.dragon.learning.metrics;
