/** Metric helpers shared by the services: bounded label values. */
package dev.dragon.support.metrics;
