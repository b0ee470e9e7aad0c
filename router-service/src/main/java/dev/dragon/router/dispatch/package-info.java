/** The remote ExpertBackend: routed rows of a layer sent to the expert groups over gRPC, in parallel, with failover. */
package dev.dragon.router.dispatch;
