package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.TenantPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Requests per minute per tenant with Spring Cloud Gateway's {@link RedisRateLimiter} (its Lua token bucket).
 * The library keys limits by route id; here the "route id" is the plan's rate ({@code rpm-60}) and the key
 * is the tenant, so every plan gets its own bucket shape without a route per plan. Like the library, a Redis
 * failure lets the request through.
 */
public final class RequestRateLimiter extends RedisRateLimiter {

    private final Map<String, Config> configs = new ConcurrentHashMap<>();
    private final Duration timeout;

    public RequestRateLimiter(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> script,
                              ConfigurationService configurationService, Duration timeout) {
        super(redis, script, configurationService);
        this.timeout = timeout;
    }

    /** Thread-safe: bucket shapes are added while requests are being served. */
    @Override
    public Map<String, Config> getConfig() {
        return configs;
    }

    /** Takes one request from {@code tenant}'s bucket. */
    public Mono<Quota> admit(String tenant, TenantPlan plan) {
        MinuteBucket bucket = new MinuteBucket(plan.requestsPerMinute());
        String shape = "rpm-" + bucket.perMinute();
        configs.computeIfAbsent(shape, k -> new Config()
                .setReplenishRate((int) bucket.rate())
                .setBurstCapacity(bucket.capacity())
                .setRequestedTokens(MinuteBucket.UNITS));
        return isAllowed(shape, tenant)
                .map(r -> bucket.quota(r.isAllowed(), remaining(r.getHeaders()), 1))
                .timeout(timeout, Mono.fromSupplier(() -> Quota.unknown(bucket.perMinute())));
    }

    private long remaining(Map<String, String> headers) {
        String left = headers.get(getRemainingHeader());
        return left == null ? -1 : Long.parseLong(left);
    }
}
