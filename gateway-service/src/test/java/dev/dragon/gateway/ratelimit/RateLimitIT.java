package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dragon.gateway.testing.GatewayIT;
import dev.dragon.gateway.testing.Http;
import dev.dragon.gateway.testing.RedisStats;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant request and token limits in a real Redis: 429s with OpenAI's headers, tenants kept apart, both
 * limits weighed in one script call, and a tenant known to be over its request limit refused without one.
 */
class RateLimitIT extends GatewayIT {

    @Test
    void tenantOverItsRequestLimit_gets429WithHeaders_whileAnotherTenantIsServed() {
        String busy = uniqueTenant("rpm");
        String busyKey = tenantWithKey(busy, 2, 100000, 64);
        String quietKey = tenantWithKey(uniqueTenant("quiet"), 2, 100000, 64);

        HttpResponse<String> first = Http.chat(port, busyKey, "dragon-moe-mini", 8);
        HttpResponse<String> second = Http.chat(port, busyKey, "dragon-moe-mini", 8);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");

        HttpResponse<String> refused = Http.chat(port, busyKey, "dragon-moe-mini", 8);
        assertThat(refused.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        // one request refills every 30 s
        assertThat(retryAfter).isBetween(1L, 30L);
        assertThat(Http.json(refused)).isEqualTo(Http.error("Rate limit reached for tenant " + busy
                + " on requests per minute: limit 2. Please try again in " + retryAfter + "s.", "requests", null,
                "rate_limit_exceeded"));
        assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(seconds(refused.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()))
                .isGreaterThan(0).isLessThanOrEqualTo(60);
        assertThat(refused.headers().firstValue("x-ratelimit-limit-tokens")).contains("100000");
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();

        HttpResponse<String> other = Http.chat(port, quietKey, "dragon-moe-mini", 8);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
    }

    @Test
    void tenantOverItsTokenLimit_gets429WithHeaders_whileAnotherTenantIsServed() {
        String heavy = uniqueTenant("tpm");
        String heavyKey = tenantWithKey(heavy, 1000, 100, 100);
        String lightKey = tenantWithKey(uniqueTenant("light"), 1000, 100, 100);
        // reserves 3 (prompt "Say hello") + 80; the answer then reports 100 tokens: the budget is spent
        ROUTER.usage(5, 95);
        HttpResponse<String> first = Http.chat(port, heavyKey, "dragon-moe-mini", 80);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("100");
        assertThat(Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()))
                .isBetween(17L, 30L);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> refused = Http.chat(port, heavyKey, "dragon-moe-mini", 80);
            assertThat(refused.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(Http.json(refused)).isEqualTo(Http.error("Rate limit reached for tenant " + heavy
                    + " on tokens per minute: limit 100. Please try again in " + retryAfter + "s.", "tokens", null,
                    "rate_limit_exceeded"));
            assertThat(Long.parseLong(refused.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()))
                    .isLessThan(83);
            assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).contains("1000");
        });

        HttpResponse<String> other = Http.chat(port, lightKey, "dragon-moe-mini", 80);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void reservation_isGivenBack_whenTheAnswerUsedFewerTokens() {
        String key = tenantWithKey(uniqueTenant("refund"), 1000, 100, 100);
        ROUTER.usage(5, 7);
        HttpResponse<String> first = Http.chat(port, key, "dragon-moe-mini", 80);
        assertThat(first.statusCode()).isEqualTo(200);
        long afterReservation = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(afterReservation).isLessThan(30);

        // 83 reserved, 12 used: 71 come back at once (refilling alone would take over 30 s)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                Long.parseLong(Http.get(port, "/v1/models", key).headers().firstValue("x-ratelimit-remaining-tokens")
                        .orElseThrow()) >= afterReservation + 71);
    }

    @Test
    void oneRequest_makesExactlyOneRedisScriptCall_forBothLimits() throws Exception {
        // 100 requests a minute: too small a plan to lease slices of (LeasedLimitsIT), so weighed every time
        String key = tenantWithKey(uniqueTenant("one-call"), 100, 100000, 64);
        // the first request loads the key into the gateway's cache and the script into Redis
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        // reserves ceil(9 / 4) + 8 = 11 tokens and uses exactly 11: nothing to reconcile afterwards
        ROUTER.usage(3, 8);
        Thread.sleep(200);

        RedisStats before = RedisStats.of(REDIS.port());
        HttpResponse<String> response = Http.chat(port, key, "dragon-moe-mini", 8);
        Thread.sleep(300);
        RedisStats after = RedisStats.of(REDIS.port());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
        assertThat(after.scriptCallsSince(before)).as(after.breakdownSince(before)).isEqualTo(1);
        // the script's own four reads; the key came from the gateway's cache
        assertThat(after.callsSince(before, "get")).as(after.breakdownSince(before)).isEqualTo(4);
    }

    @Test
    void aRequestOverItsTokenBudget_is429_withTheOpenAiBody() {
        String tenant = uniqueTenant("budget");
        String key = tenantWithKey(tenant, 3, 100, 100);
        // each request reserves 3 (prompt "Say hello") + 80 of the 100 tokens a minute
        ROUTER.usage(3, 80);
        HttpResponse<String> first = Http.chat(port, key, "dragon-moe-mini", 80);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).contains("17");

        HttpResponse<String> refused = Http.chat(port, key, "dragon-moe-mini", 80);
        assertThat(refused.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(Http.json(refused)).isEqualTo(Http.error("Rate limit reached for tenant " + tenant
                + " on tokens per minute: limit 100. Please try again in " + retryAfter + "s.", "tokens", null,
                "rate_limit_exceeded"));
        assertThat(refused.headers().firstValue("x-ratelimit-limit-tokens")).contains("100");
        // nothing was taken: what is left, plus what refilled meanwhile (100 a minute)
        assertThat(Long.parseLong(refused.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()))
                .isBetween(17L, 20L);
        // the request limit still counted it, as when the two limits were separate calls
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
    }

    @Test
    void aTenantKnownToBeOverItsRequestLimit_isRefusedWithoutAskingRedis_withTheSameHeaders() {
        String tenant = uniqueTenant("known");
        String key = tenantWithKey(tenant, 2, 100000, 64);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        assertThat(Http.chat(port, key, "dragon-moe-mini", 8).statusCode()).isEqualTo(200);
        HttpResponse<String> fromRedis = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(fromRedis.statusCode()).isEqualTo(429);

        RedisStats before = RedisStats.of(REDIS.port());
        int routed = ROUTER.received();
        // a body that would be refused with 400 is not even read: the tenant is over its limit
        HttpResponse<String> fromMemory = Http.post(port, "/v1/chat/completions", key, "{\"model\":");
        RedisStats after = RedisStats.of(REDIS.port());

        assertThat(fromMemory.statusCode()).isEqualTo(429);
        assertThat(after.scriptCallsSince(before)).isZero();
        assertThat(ROUTER.received()).isEqualTo(routed);
        long retryAfter = Long.parseLong(fromMemory.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L,
                Long.parseLong(fromRedis.headers().firstValue("Retry-After").orElseThrow()));
        assertThat(Http.json(fromMemory)).isEqualTo(Http.error("Rate limit reached for tenant " + tenant
                + " on requests per minute: limit 2. Please try again in " + retryAfter + "s.", "requests", null,
                "rate_limit_exceeded"));
        assertThat(fromMemory.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(fromMemory.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(seconds(fromMemory.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()))
                .isGreaterThan(0).isLessThanOrEqualTo(60);
        assertThat(fromMemory.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    }

    @Test
    void requestsRefusedForTheirBody_stillCountAgainstTheRequestLimit_andThe429WinsOnceItIsSpent() {
        String key = tenantWithKey(uniqueTenant("badbody"), 2, 100000, 64);
        int routed = ROUTER.received();
        HttpResponse<String> first = Http.post(port, "/v1/chat/completions", key, "{}");
        HttpResponse<String> second = Http.post(port, "/v1/chat/completions", key, "{\"model\":");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(400);

        HttpResponse<String> third = Http.post(port, "/v1/chat/completions", key, "{}");
        assertThat(third.statusCode()).as("bad bodies are no way around the limit: " + third.body()).isEqualTo(429);
        assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        HttpResponse<String> valid = Http.chat(port, key, "dragon-moe-mini", 8);
        assertThat(valid.statusCode()).isEqualTo(429);
        assertThat(ROUTER.received()).isEqualTo(routed);
    }

    private static double seconds(String openAiDuration) {
        String s = openAiDuration.substring(0, openAiDuration.length() - 1);
        int m = s.indexOf('m');
        return m < 0 ? Double.parseDouble(s) : Long.parseLong(s.substring(0, m)) * 60 + Double.parseDouble(s.substring(m + 1));
    }
}
