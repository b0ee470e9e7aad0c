/** Per-tenant flush and stats, on the management port (HTTP) and over gRPC. */
package dev.dragon.cache.admin;
