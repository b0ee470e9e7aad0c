package dev.dragon.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import dev.dragon.gateway.error.FaultLog;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Tokens per minute per tenant: a Redis token bucket run by Spring Cloud Gateway's own rate-limiter script
 * (the same one {@link RequestRateLimiter} uses), with requests weighing their estimated tokens. Once the
 * actual usage is known, {@link #adjust} gives back what was over-reserved (or takes what was under-reserved)
 * with a small script of its own. Redis failures let requests through.
 */
public final class TokenBudget {


    /** Adds ARGV[2] units (may be negative) to a live bucket, clamped to [-capacity, capacity]. */
    private static final RedisScript<Long> ADJUST = RedisScript.of("""
            local current = tonumber(redis.call('get', KEYS[1]))
            if current == nil then return -1 end
            local capacity = tonumber(ARGV[1])
            local ttl = redis.call('ttl', KEYS[1])
            local updated = math.max(-capacity, math.min(capacity, current + tonumber(ARGV[2])))
            if ttl > 0 then redis.call('setex', KEYS[1], ttl, updated) end
            return updated
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisScript<List<Long>> script;
    private final Duration timeout;
    private final FaultLog faults = new FaultLog(LoggerFactory.getLogger(TokenBudget.class));

    public TokenBudget(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> script, Duration timeout) {
        this.redis = redis;
        this.script = script;
        this.timeout = timeout;
    }

    /** Takes {@code tokens} (0 only reads the state) from the tenant's bucket. */
    public Mono<Quota> take(String tenant, long tokensPerMinute, long tokens) {
        MinuteBucket bucket = new MinuteBucket(tokensPerMinute);
        List<String> args = List.of(Long.toString(bucket.rate()), Long.toString(bucket.capacity()), "",
                Long.toString(bucket.units(tokens)));
        return redis.execute(script, keys(tenant, bucket), args)
                .next()
                .map(r -> bucket.quota(r.get(0) == 1L, r.get(1), tokens))
                .timeout(timeout)
                .onErrorResume(e -> {
                    faults.warn("token budget unavailable, request let through: {}", e.toString());
                    return Mono.just(Quota.unknown(tokensPerMinute));
                });
    }

    /** Gives back {@code tokens} (negative: takes more) once a request's real usage is known. */
    public Mono<Void> adjust(String tenant, long tokensPerMinute, long tokens) {
        if (tokens == 0) {
            return Mono.empty();
        }
        MinuteBucket bucket = new MinuteBucket(tokensPerMinute);
        return redis.execute(ADJUST, keys(tenant, bucket).subList(0, 1),
                        List.of(Long.toString(bucket.capacity()), Long.toString(bucket.units(tokens))))
                .then()
                .timeout(timeout)
                .onErrorResume(e -> {
                    faults.warn("token budget not reconciled for tenant {}: {}", tenant, e.toString());
                    return Mono.empty();
                });
    }

    /** The script's two keys, in its naming scheme ({@code {...}} keeps both in one cluster slot). */
    private static List<String> keys(String tenant, MinuteBucket bucket) {
        String prefix = "request_rate_limiter.{tpm-" + bucket.perMinute() + "." + tenant + "}.";
        return List.of(prefix + "tokens", prefix + "timestamp");
    }
}
