/** Redis access: timed, time-limited calls, Lua scripts, availability probe, eviction policy and polled statistics. */
package dev.dragon.cache.redis;
