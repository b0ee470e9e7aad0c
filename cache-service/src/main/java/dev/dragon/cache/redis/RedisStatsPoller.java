package dev.dragon.cache.redis;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.metrics.CacheKind;
import dev.dragon.cache.metrics.CacheMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Polls what Redis alone knows: {@code evicted_keys} from {@code INFO stats} (added to
 * {@code dragon_cache_evictions_total} as the delta since this replica's first poll; a restarted Redis counts
 * from 0 again) and the number of live entries per cache ({@code dragon_cache_entries}). Every replica
 * reports the same Redis, so dashboards take the max over replicas, not the sum. A failed poll is skipped.
 */
@Component
public class RedisStatsPoller implements SmartLifecycle {

    private final RedisCalls calls;
    private final CacheScripts scripts;
    private final CacheKeys keys;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final PeriodicTask task;
    private long lastEvicted = -1;

    public RedisStatsPoller(CacheRedis redis, CacheProperties properties) {
        this.calls = redis.calls();
        this.scripts = redis.scripts();
        this.keys = redis.keys();
        this.metrics = redis.metrics();
        this.clock = redis.clock();
        Duration interval = properties.redis().statsInterval();
        this.task = new PeriodicTask(interval, interval, this::pollOnce);
    }

    /** One poll (also used by tests to avoid waiting for the interval). */
    public Mono<Void> pollOnce() {
        Mono<Void> evictions = calls.mono("info", calls.redis().execute(c -> c.serverCommands().info("stats")).next())
                .doOnNext(this::recordEvictions).then();
        Mono<Void> entries = calls.script("entries", scripts.entries(), List.of(keys.tenants()),
                        CacheScripts.args(keys.tenantsRoot(), keys.responseIndexSuffix(), keys.kvIndexSuffix(),
                                clock.millis()))
                .doOnNext(counts -> {
                    metrics.entries(CacheKind.RESPONSE, ((Number) counts.get(0)).longValue());
                    metrics.entries(CacheKind.KV, ((Number) counts.get(1)).longValue());
                }).then();
        return evictions.onErrorResume(e -> Mono.empty()).then(entries.onErrorResume(e -> Mono.empty()));
    }

    private synchronized void recordEvictions(Properties info) {
        String value = info.getProperty("evicted_keys");
        if (value == null) {
            return;
        }
        long evicted = Long.parseLong(value.trim());
        // the first poll only sets the baseline; a counter that went down means Redis restarted from 0
        long delta = lastEvicted < 0 ? 0 : evicted >= lastEvicted ? evicted - lastEvicted : evicted;
        if (delta > 0) {
            metrics.evicted(delta);
        }
        lastEvicted = evicted;
    }

    @Override
    public void start() {
        task.start();
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
