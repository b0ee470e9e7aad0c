/** gateway-service configuration: the one properties record and the wiring of the edge's components. */
package dev.dragon.gateway.config;
