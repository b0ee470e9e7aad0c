/** expert-service: serves the routed experts of one expert group over gRPC. */
package dev.dragon.expert;
