/** gateway-service: the public edge of Dragon (API keys, per-tenant rate limits, size limits, CORS) in front of router-service. */
package dev.dragon.gateway;
