/** Per-tenant limits in Redis: requests per minute (Spring Cloud Gateway's RedisRateLimiter) and a token budget reconciled with actual usage. */
package dev.dragon.gateway.ratelimit;
