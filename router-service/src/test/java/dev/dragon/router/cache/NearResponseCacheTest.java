package dev.dragon.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.tensor.TensorCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The near cache serves only while watched, forgets a tenant on its purge, and never keeps a value older than one. */
class NearResponseCacheTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NearResponseCache<String> near = cache(DataSize.ofMegabytes(1), true);

    private NearResponseCache<String> cache(DataSize max, boolean responseCacheEnabled) {
        CacheClientProperties settings = new CacheClientProperties(responseCacheEnabled, "127.0.0.1:1",
                Duration.ofMillis(50), Duration.ofSeconds(1), 32, TensorCodec.Precision.FP16, 64 * 1024, ClientFixture.CAPTURE,
                new CacheClientProperties.Breaker(50, 4, 2, Duration.ofMillis(300), 1),
                new CacheClientProperties.Near(true, max, Duration.ofMinutes(10), Duration.ofMillis(500)),
                Duration.ofSeconds(30));
        NearResponseCache<String> c = new NearResponseCache<>(settings, String::length, registry);
        c.serving(true);
        return c;
    }

    private static ResponseCacheKey key(String tenant, int n) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) n);
        return new ResponseCacheKey(tenant, "m@1", "a1", hash);
    }

    @Test
    void aValuePut_isServed_onlyWhileTheWatchIsLive() {
        near.put(key("acme", 1), "answer", near.generation());
        assertThat(near.get(key("acme", 1))).contains("answer");

        near.serving(false);
        assertThat(near.get(key("acme", 1))).isEmpty();
        near.serving(true);
        assertThat(near.get(key("acme", 1))).as("kept while not serving").contains("answer");
        assertThat(registry.get("dragon_near_cache_requests").tag("result", "off").counter().count()).isEqualTo(1);
    }

    @Test
    void aPurge_dropsOnlyThatTenantsEntries() {
        near.put(key("acme", 1), "a", near.generation());
        near.put(key("globex", 1), "g", near.generation());

        near.purge("acme");

        assertThat(near.get(key("acme", 1))).isEmpty();
        assertThat(near.get(key("globex", 1))).contains("g");
    }

    @Test
    void aValueLookedUpBeforeAPurge_isNotKept() {
        long seen = near.generation();
        near.purge("acme");                          // arrives while the value was on its way from cache-service

        near.put(key("acme", 1), "stale", seen);

        assertThat(near.get(key("acme", 1))).isEmpty();
    }

    @Test
    void aValueLookedUpBeforeTheWatchBroke_isNotKept() {
        long seen = near.generation();
        near.serving(false);
        near.serving(true);

        near.put(key("acme", 1), "maybe stale", seen);

        assertThat(near.get(key("acme", 1))).isEmpty();
    }

    @Test
    void aReset_dropsEverything() {
        near.put(key("acme", 1), "a", near.generation());
        near.put(key("globex", 2), "g", near.generation());

        near.reset();

        assertThat(near.get(key("acme", 1))).isEmpty();
        assertThat(near.get(key("globex", 2))).isEmpty();
    }

    @Test
    void entries_areBoundedByBytes() {
        NearResponseCache<String> small = cache(DataSize.ofKilobytes(64), true);
        String tenKb = "x".repeat(10_000);
        for (int i = 0; i < 50; i++) {
            small.put(key("acme", i), tenKb, small.generation());
        }
        small.cleanUp();                             // Caffeine evicts asynchronously

        assertThat(small.size()).isLessThanOrEqualTo(6);
    }

    @Test
    void aDisabledResponseCache_disablesTheNearCache() {
        NearResponseCache<String> off = cache(DataSize.ofMegabytes(1), false);
        off.put(key("acme", 1), "a", off.generation());

        assertThat(off.enabled()).isFalse();
        assertThat(off.get(key("acme", 1))).isEmpty();
    }
}
