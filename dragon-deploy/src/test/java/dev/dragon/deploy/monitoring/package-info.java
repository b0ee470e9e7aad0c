/** Dashboards, alert rules and the metric names they use. */
package dev.dragon.deploy.monitoring;
