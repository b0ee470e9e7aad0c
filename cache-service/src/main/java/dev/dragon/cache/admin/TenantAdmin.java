package dev.dragon.cache.admin;

import dev.dragon.cache.config.CacheProperties;
import dev.dragon.cache.keys.CacheKeys;
import dev.dragon.cache.keys.Names;
import dev.dragon.cache.purge.PurgeLog;
import dev.dragon.cache.redis.CacheRedis;
import dev.dragon.cache.redis.CacheScripts;
import dev.dragon.cache.redis.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Per-tenant flush and stats, shared by the HTTP admin endpoint and the gRPC admin calls. */
@Component
public class TenantAdmin {

    private static final Logger log = LoggerFactory.getLogger(TenantAdmin.class);

    private final RedisCalls calls;
    private final CacheScripts scripts;
    private final CacheKeys keys;
    private final Clock clock;
    private final int scanBatch;
    private final PurgeLog purges;

    public TenantAdmin(CacheRedis redis, CacheProperties properties, PurgeLog purges) {
        this.calls = redis.calls();
        this.scripts = redis.scripts();
        this.keys = redis.keys();
        this.clock = redis.clock();
        this.scanBatch = properties.redis().scanBatch();
        this.purges = purges;
    }

    /**
     * Deletes every key of {@code tenant} (entries, chunks, indexes, counters) and returns how many. Walks
     * the keyspace with SCAN on the tenant's own key pattern rather than trusting its index, so nothing
     * is left behind even when an index was evicted; UNLINK frees the memory off Redis's main thread. Then
     * appends the purge to the purge log, from where every replica's feed tells the routers to drop their
     * near-cache entries of the tenant; if that fails the flush fails (the caller retries), since routers
     * would otherwise go on serving the purged entries.
     */
    public Mono<Long> flush(String tenant) {
        String t = Names.tenant(tenant);
        ScanOptions scan = ScanOptions.scanOptions().match(keys.tenantPattern(t)).count(scanBatch).build();
        return calls.flux("flush_scan", calls.redis().scan(scan))
                .buffer(scanBatch)
                .concatMap(batch -> calls.mono("flush_unlink", calls.redis().unlink(batch.toArray(String[]::new))), 1)
                .reduce(0L, Long::sum)
                .flatMap(deleted -> calls.mono("flush_forget",
                                calls.redis().opsForSet().remove(keys.tenants(), (Object) t.getBytes(StandardCharsets.UTF_8)))
                        .thenReturn(deleted))
                .flatMap(deleted -> purges.append(t)
                        .doOnNext(id -> log.info("flushed tenant {}: {} keys deleted, purge {}", t, deleted, id))
                        .thenReturn(deleted));
    }

    /** Entries and bytes per cache (pruning index members whose entry is gone), hits and misses. */
    public Mono<TenantStatsView> stats(String tenant) {
        String t = Names.tenant(tenant);
        return calls.script("tenant_stats", scripts.tenantStats(),
                        List.of(keys.responseIndex(t), keys.kvIndex(t), keys.stats(t)),
                        CacheScripts.args(keys.responseBase(t), keys.kvBase(t), clock.millis()))
                .map(r -> new TenantStatsView(t,
                        new TenantStatsView.Figures(n(r, 0), n(r, 1), n(r, 4), n(r, 5)),
                        new TenantStatsView.Figures(n(r, 2), n(r, 3), n(r, 6), n(r, 7))));
    }

    private static long n(List<?> values, int i) {
        return ((Number) values.get(i)).longValue();
    }
}
