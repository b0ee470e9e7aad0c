package dev.dragon.cache;

import static dev.dragon.cache.testing.CacheTestClient.kvKey;
import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import dev.dragon.contracts.v1.TenantRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Entries of both caches expire after their TTL, chunks and indexes with them. */
@CacheServiceTest
@TestPropertySource(properties = {"dragon.cache.response.ttl=4s", "dragon.cache.kv.ttl=4s", "dragon.cache.kv.chunk-grace=1s"})
class CacheExpiryIT {

    private static final String MODEL = "dragon-moe-mini@1.0.0";

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;

    @Test
    void responseEntry_expiresAfterItsTtl() {
        byte[] key = sha256("short-lived");
        cache.put("expiry", MODEL, "0", key, new byte[] {1});
        assertThat(cache.get("expiry", MODEL, "0", key).getFound()).isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cache.get("expiry", MODEL, "0", key).getFound()).isFalse());
        assertThat(cache.blocking().stats(TenantRequest.newBuilder().setSchemaVersion(1).setTenant("expiry").build())
                .getResponse().getEntries()).isZero();
    }

    @Test
    void kvState_expiresAfterItsTtl_withItsChunksAndIndex() {
        byte[] hash = sha256("short-lived prefix");
        cache.putKv(kvKey("expiry-kv", MODEL, "g", hash), 32, new byte[3000], 1000);
        assertThat(cache.find("expiry-kv", MODEL, "g", List.of(hash)).getFound()).isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cache.find("expiry-kv", MODEL, "g", List.of(hash)).getFound()).isFalse());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(redis.keys("*:t:expiry-kv:*")).as("only the hit/miss counters remain")
                        .allMatch(k -> k.endsWith(":stats")));
    }
}
