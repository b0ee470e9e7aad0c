/** Warm-up, readiness and the ports this replica listens on, for Kubernetes probes and operators. */
package dev.dragon.expert.health;
