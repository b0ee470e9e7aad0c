package dev.dragon.cache.redis;

import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.StoreResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** cache-service sets Redis's eviction policy itself, and counts what Redis evicts under memory pressure. */
@CacheServiceTest
@TestPropertySource(properties = {"dragon.cache.redis.eviction-policy=allkeys-lru", "dragon.cache.redis.maxmemory=8MB"})
class EvictionPolicyIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired RedisStatsPoller poller;
    @Autowired MeterRegistry meters;

    @Test
    void startup_setsTheConfiguredPolicyAndMaxmemory() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(redis.commands().configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
            assertThat(redis.commands().configGet("maxmemory")).containsEntry("maxmemory", Long.toString(8L << 20));
        });
    }

    @Test
    void memoryPressure_evictsOldEntries_andCountsTheEvictions() {
        startup_setsTheConfiguredPolicyAndMaxmemory();
        poller.pollOnce().block(Duration.ofSeconds(30));
        double before = evictions();

        for (int i = 0; i < 60; i++) {
            if (i == 10) {
                // Redis's LRU clock ticks once a second: entries written within one tick look equally old and
                // are evicted in no particular order; the first ten are made a tick older than the rest
                sleepPastOneLruTick();
            }
            StoreResult stored = cache.put("pressure", MODEL, "0", sha256("entry " + i), new byte[500 * 1024]);
            assertThat(stored.getOutcome()).isEqualTo(StoreResult.Outcome.STORED);
        }
        poller.pollOnce().block(Duration.ofSeconds(30));

        long evictedByRedis = Long.parseLong(redis.commands().info("stats").lines()
                .filter(l -> l.startsWith("evicted_keys:")).findFirst().orElseThrow().substring(13).trim());
        assertThat(evictedByRedis).as("30 MB into 8 MB").isPositive();
        assertThat(evictions() - before).isPositive().isLessThanOrEqualTo(evictedByRedis);
        assertThat(cache.get("pressure", MODEL, "0", sha256("entry 0")).getFound()).as("least recently used").isFalse();
        assertThat(cache.get("pressure", MODEL, "0", sha256("entry 59")).getFound()).as("most recent").isTrue();
    }

    private static void sleepPastOneLruTick() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private double evictions() {
        return meters.get("dragon.cache.evictions").counter().count();
    }
}
