package dev.dragon.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Redis goes away: keys this replica has seen keep working for a bounded time, limited by the replica's own outage
 * buckets (not let through unlimited), unseen keys and admin changes get a JSON 503 at once (no hang), and everything works again
 * when Redis is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIT extends GatewayIT {

    private static final EmbeddedRedis OWN_REDIS = EmbeddedRedis.started();

    @DynamicPropertySource
    static void ownRedis(DynamicPropertyRegistry registry) {
        registry.add(REDIS_PORT, OWN_REDIS::port);
        registry.add("dragon.gateway.auth.cache-ttl", () -> "1s");
        registry.add("dragon.gateway.auth.max-stale", () -> "10s");
    }

    @AfterAll
    static void stopRedis() {
        OWN_REDIS.stop();
    }

    @Test
    void redisDown_knownKeysAreServedWithinLocalLimits_unknownKeysAndAdminGet503_untilRedisIsBack(
            CapturedOutput output) {
        String key = newKey(uniqueTenant("outage"));
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        String smallTenant = uniqueTenant("outage-small");
        String smallKey = tenantWithKey(smallTenant, 3, 100000, 64);
        assertThat(Http.chat(port, smallKey, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        Set<String> servedIds = ConcurrentHashMap.newKeySet();

        OWN_REDIS.stop();
        try {
            // well past the 1 s cache ttl: answered from the last known state, within this replica's own buckets
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        HttpResponse<String> served = Http.chat(port, key, "dragon-moe-mini", 8);
                        assertThat(served.statusCode()).isEqualTo(200);
                        served.headers().firstValue("x-dragon-request-id").ifPresent(servedIds::add);
                        assertThat(served.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
                    });

            // a tenant of 3 requests a minute: its local bucket (the whole plan: outage-share 1) starts full,
            // then the limit holds without Redis
            for (int i = 0; i < 3; i++) {
                assertThat(Http.chat(port, smallKey, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = Http.chat(port, smallKey, "dragon-moe-mini", 8);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 20L);
            assertThat(Http.json(limited).path("error").path("type").asString()).isEqualTo("requests");

            HttpResponse<String> unknown = Http.chat(port, "dgn_000000000000_unseen", "dragon-moe-mini", 8);
            assertThat(unknown.statusCode()).isEqualTo(503);
            assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
            assertThat(Http.json(unknown)).isEqualTo(Http.error("The API key store is unavailable; retry shortly.",
                    "server_error", null, "auth_unavailable"));

            HttpResponse<String> admin = admin("POST", "/admin/tenants/" + uniqueTenant("down") + "/keys", null);
            assertThat(admin.statusCode()).isEqualTo(503);
            assertThat(Http.json(admin).path("error").path("code").asString()).isEqualTo("store_unavailable");

            // without automatic context propagation, the gateway's own fault lines still name their request
            assertThat(faultLines(output, "key store unreachable")).anyMatch(line -> servedIds.stream()
                    .anyMatch(id -> line.contains("[" + id + "]")));
            assertThat(faultLines(output, "rate limits unavailable")).anyMatch(line -> servedIds.stream()
                    .anyMatch(id -> line.contains("[" + id + "]")));

            // a cached key is served for at most cache-ttl + max-stale (11 s) after Redis last confirmed it: a key
            // revoked during the outage stops working within that bound
            long servedUntil = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Http.chat(port, key, "dragon-moe-mini", 8).statusCode() == 503);
            assertThat(Duration.ofNanos(System.nanoTime() - servedUntil)).isLessThan(Duration.ofSeconds(12));
        } finally {
            OWN_REDIS.start();
        }

        // the restarted (empty, unpersisted) Redis serves new keys as soon as the client has reconnected
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> admin("POST", "/admin/tenants/back/keys", null).statusCode() == 201);
        String fresh = newKey(uniqueTenant("back"));
        HttpResponse<String> served = Http.chat(port, fresh, "dragon-moe-mini", 8);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
    }

    private static List<String> faultLines(CapturedOutput output, String fault) {
        return output.getAll().lines().filter(line -> line.contains(fault)).toList();
    }
}
