package dev.dragon.cache.metrics;

import dev.dragon.contracts.v1.PurgeNotice;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The metrics of docs/metrics.md's cache-service table (and the failure/refusal counters it lists). */
@Component
public class CacheMetrics {

    private final MeterRegistry registry;
    private final Map<CacheKind, Counter> hits = new EnumMap<>(CacheKind.class);
    private final Map<CacheKind, Counter> misses = new EnumMap<>(CacheKind.class);
    private final Map<CacheKind, Counter> storedBytes = new EnumMap<>(CacheKind.class);
    private final Map<CacheKind, AtomicLong> entries = new EnumMap<>(CacheKind.class);
    private final Map<String, Timer> redisLatency = new ConcurrentHashMap<>();
    private final Counter evictions;
    private final AtomicLong redisUp = new AtomicLong();
    private final Map<PurgeNotice.Kind, Counter> purgeNotices = new EnumMap<>(PurgeNotice.Kind.class);
    private final AtomicLong purgeWatchers = new AtomicLong();

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (CacheKind kind : CacheKind.values()) {
            hits.put(kind, Counter.builder("dragon.cache.hits").tag("cache", kind.label())
                    .description("lookups answered").register(registry));
            misses.put(kind, Counter.builder("dragon.cache.misses").tag("cache", kind.label())
                    .description("lookups not found").register(registry));
            storedBytes.put(kind, Counter.builder("dragon.cache.stored.bytes").tag("cache", kind.label())
                    .description("bytes written to Redis").register(registry));
            AtomicLong count = new AtomicLong();
            entries.put(kind, count);
            Gauge.builder("dragon.cache.entries", count, AtomicLong::get).tag("cache", kind.label())
                    .description("entries currently stored").register(registry);
            refusedCounter(kind, "too_large");
        }
        for (String reason : new String[] {"invalid", "unavailable", "evicted", "internal"}) {
            failureCounter(reason);
        }
        evictions = Counter.builder("dragon.cache.evictions").description("keys Redis evicted (from INFO stats)")
                .register(registry);
        Gauge.builder("dragon.cache.redis.up", redisUp, AtomicLong::get).description("1 when Redis answers")
                .register(registry);
        for (PurgeNotice.Kind kind : new PurgeNotice.Kind[] {PurgeNotice.Kind.SUBSCRIBED, PurgeNotice.Kind.PURGE,
                PurgeNotice.Kind.RESET}) {
            purgeNotices.put(kind, Counter.builder("dragon.cache.purge.notices")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .description("WatchPurges notices sent to routers").register(registry));
        }
        Gauge.builder("dragon.cache.purge.watchers", purgeWatchers, AtomicLong::get)
                .description("open WatchPurges streams on this replica").register(registry);
    }

    public void hit(CacheKind kind) {
        hits.get(kind).increment();
    }

    public void miss(CacheKind kind) {
        misses.get(kind).increment();
    }

    public void stored(CacheKind kind, long bytes) {
        storedBytes.get(kind).increment(bytes);
    }

    public void refused(CacheKind kind, String reason) {
        refusedCounter(kind, reason).increment();
    }

    public void failure(String reason) {
        failureCounter(reason).increment();
    }

    public void evicted(long keys) {
        evictions.increment(keys);
    }

    public void redisUp(boolean up) {
        redisUp.set(up ? 1 : 0);
    }

    public void entries(CacheKind kind, long count) {
        entries.get(kind).set(count);
    }

    /** One WatchPurges notice sent. */
    public void purgeNotice(PurgeNotice.Kind kind) {
        Counter counter = purgeNotices.get(kind);
        if (counter != null) {
            counter.increment();
        }
    }

    public void purgeWatchers(long count) {
        purgeWatchers.set(count);
    }

    /** The latency timer of one kind of Redis round trip ({@code op} is one of a fixed set of names). */
    public Timer redisLatency(String op) {
        return redisLatency.computeIfAbsent(op, o -> Timer.builder("dragon.cache.redis.latency").tag("op", o)
                .description("Redis round trips").publishPercentileHistogram().register(registry));
    }

    private Counter refusedCounter(CacheKind kind, String reason) {
        return Counter.builder("dragon.cache.refused").tag("cache", kind.label()).tag("reason", reason)
                .description("values refused, not stored").register(registry);
    }

    private Counter failureCounter(String reason) {
        return Counter.builder("dragon.cache.failures").tag("reason", reason)
                .description("requests answered with an error").register(registry);
    }
}
