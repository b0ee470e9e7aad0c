package dev.dragon.cache.redis;

import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.metrics.CacheMetrics;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * What every cache operation works with: the guarded Redis calls, the scripts, the key layout, the
 * metrics and the clock that scores index entries.
 */
@Component
public record CacheRedis(RedisCalls calls, CacheScripts scripts, CacheKeys keys, CacheMetrics metrics, Clock clock) {
}
