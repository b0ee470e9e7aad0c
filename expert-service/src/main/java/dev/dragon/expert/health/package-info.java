/** Liveness of expert-service over gRPC, for the services that call it. */
package dev.dragon.expert.health;
