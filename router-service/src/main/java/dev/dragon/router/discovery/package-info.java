/** Which replicas of each expert group are live: a static list (local mode) or Kubernetes EndpointSlices. */
package dev.dragon.router.discovery;
