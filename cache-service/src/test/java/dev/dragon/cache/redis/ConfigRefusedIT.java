package dev.dragon.cache.redis;

import static dev.dragon.cache.testing.CacheTestClient.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dragon.cache.testing.CacheServiceTest;
import dev.dragon.cache.testing.CacheTestClient;
import dev.dragon.cache.testing.RedisTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** A managed Redis that refuses CONFIG (renamed away) leaves eviction to its operator; the cache still works. */
@CacheServiceTest
@TestPropertySource(properties = "test.redis.settings=rename-command CONFIG \"\"")
class ConfigRefusedIT {

    @Autowired CacheTestClient cache;
    @Autowired RedisTestServer redis;
    @Autowired MeterRegistry meters;

    @Test
    void redisRefusingConfig_isTolerated_andTheCacheServes() {
        assertThatThrownBy(() -> redis.commands().configGet("maxmemory-policy")).as("CONFIG is really refused")
                .hasMessageContaining("unknown command");

        cache.put("acme", "m@1", "0", sha256("k"), new byte[] {7});

        assertThat(cache.get("acme", "m@1", "0", sha256("k")).getEntry().getBody().toByteArray()).containsExactly(7);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(meters.get("dragon.cache.redis.up").gauge().value()).isEqualTo(1.0));
    }
}
