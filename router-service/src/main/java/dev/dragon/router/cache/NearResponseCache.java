package dev.dragon.router.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * This router's copy of response-cache entries it has seen (Caffeine, bounded by bytes), consulted before
 * cache-service. An entry never goes stale by itself: its key names the model, adapter version and tenant, and
 * a new adapter version makes new keys. What can make one wrong is a purge (a tenant flush), so entries are
 * served only while {@link PurgeWatcher} holds a live watch on cache-service's purge log
 * ({@link #serving(boolean)}); every purge bumps a generation, and {@link #put} drops a value that was looked up
 * before a purge it did not see.
 *
 * <p>Counts {@code dragon_near_cache_requests_total{result=hit|miss|off}} and
 * {@code dragon_near_cache_purges_total{kind=tenant|reset}}; gauges {@code dragon_near_cache_bytes}.
 *
 * @param <V> the stored value (the router's recorded generation with what replaying it needs)
 */
public final class NearResponseCache<V> {

    private final Cache<ResponseCacheKey, V> entries;
    private final boolean enabled;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean serving;
    private final Counter hits;
    private final Counter misses;
    private final Counter off;
    private final Counter tenantPurges;
    private final Counter resets;

    /**
     * @param cache   the cache clients' settings: the near cache is on when the response cache and it are enabled
     * @param weigher bytes a value holds (its weight against {@code near.max-bytes})
     */
    public NearResponseCache(CacheClientProperties cache, ToIntFunction<V> weigher, MeterRegistry registry) {
        CacheClientProperties.Near settings = cache.near();
        this.enabled = cache.enabled() && settings.enabled();
        this.entries = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes().toBytes())
                .weigher((ResponseCacheKey k, V v) -> weigher.applyAsInt(v) + 128)   // + key and map overhead
                .expireAfterAccess(settings.maxIdle())
                .build();
        this.hits = lookups(registry, "hit");
        this.misses = lookups(registry, "miss");
        this.off = lookups(registry, "off");
        this.tenantPurges = Counter.builder("dragon_near_cache_purges").tag("kind", "tenant")
                .description("Tenant purges applied to the near cache").register(registry);
        this.resets = Counter.builder("dragon_near_cache_purges").tag("kind", "reset")
                .description("Near cache emptied: purges may have been missed").register(registry);
        Gauge.builder("dragon_near_cache_bytes", entries,
                        c -> c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L))
                .description("Bytes held by the near cache (weights)").baseUnit("bytes").register(registry);
    }

    /** Whether it may be used at all ({@code dragon.router.cache.near.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** Whether hits are served now: enabled and the purge watch is live. */
    public boolean isServing() {
        return enabled && serving;
    }

    /** The value under {@code key}, when serving; counts a hit, a miss or off. */
    public Optional<V> get(ResponseCacheKey key) {
        if (!isServing()) {
            off.increment();
            return Optional.empty();
        }
        V v = entries.getIfPresent(key);
        (v == null ? misses : hits).increment();
        return Optional.ofNullable(v);
    }

    /** Read before looking a key up elsewhere, and pass it to {@link #put}. */
    public long generation() {
        return generation.get();
    }

    /**
     * Stores {@code value} unless a purge or reset happened since {@code seenGeneration} was read (the value may
     * predate it). Checked again after the write, so a purge racing the put removes it either way.
     */
    public void put(ResponseCacheKey key, V value, long seenGeneration) {
        if (!enabled || generation.get() != seenGeneration) {
            return;
        }
        entries.put(key, value);
        if (generation.get() != seenGeneration) {
            entries.invalidate(key);
        }
    }

    /** Drops every entry of {@code tenant}. */
    public void purge(String tenant) {
        generation.incrementAndGet();
        entries.asMap().keySet().removeIf(k -> k.tenant().equals(tenant));
        tenantPurges.increment();
    }

    /** Drops every entry. */
    public void reset() {
        generation.incrementAndGet();
        entries.invalidateAll();
        resets.increment();
    }

    /**
     * Live watch or not. Turning serving off bumps the generation (a value looked up before may predate a purge
     * this router will never hear of) but keeps the entries: a watch resumed from the last purge id replays
     * what was missed.
     */
    public void serving(boolean live) {
        if (!live) {
            generation.incrementAndGet();
        }
        serving = live;
    }

    /** Entries held (approximate: evictions run asynchronously, see {@link #cleanUp}). */
    public long size() {
        return entries.estimatedSize();
    }

    /** Runs pending evictions now. */
    void cleanUp() {
        entries.cleanUp();
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("dragon_near_cache_requests").tag("result", result)
                .description("Near-cache lookups of response-cache keys").register(registry);
    }
}
