package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.error.FaultLog;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Both per-tenant limits in Redis, weighed in one script call per request: requests per minute and tokens per
 * minute, each a token bucket run exactly like Spring Cloud Gateway's {@code RedisRateLimiter} script
 * ({@code request_rate_limiter.lua}: whole-second refill from Redis {@code TIME}, expiry after twice the fill
 * time), shaped by {@link MinuteBucket}. A request the request bucket refuses takes nothing from the token
 * bucket (which is then only read for the headers); a request the token bucket refuses still took its request,
 * as when the two buckets were asked one after the other. Once a generation's real usage is known,
 * {@link #adjust} corrects its token reservation with a second small script, off the request's path.
 * <p>
 * The four keys share the hash tag {@code {tenant}}, so the script also runs on a Redis Cluster. Redis failures
 * (Lettuce's command timeout included, {@code dragon.gateway.auth.redis-timeout}) let requests through with
 * unknown quotas, like the library's limiter.
 */
public final class RateLimits {

    /**
     * KEYS: request bucket tokens, timestamp; token bucket tokens, timestamp. ARGV: request rate, capacity,
     * units requested; token rate, capacity, units requested. Returns {requests allowed, request units left,
     * tokens allowed, token units left, microseconds into the Redis second of the decision}.
     */
    @SuppressWarnings("unchecked")
    static final RedisScript<List<Long>> ADMIT = RedisScript.of("""
            redis.replicate_commands()
            local time = redis.call('TIME')
            local now = tonumber(time[1])
            local function bucket(tokens_key, timestamp_key, rate, capacity, requested)
              local ttl = math.floor(capacity / rate * 2)
              local last_tokens = tonumber(redis.call('get', tokens_key)) or capacity
              local last_refreshed = tonumber(redis.call('get', timestamp_key)) or 0
              local filled = math.min(capacity, last_tokens + math.max(0, now - last_refreshed) * rate)
              local allowed = filled >= requested
              local left = allowed and filled - requested or filled
              if ttl > 0 then
                redis.call('setex', tokens_key, ttl, left)
                redis.call('setex', timestamp_key, ttl, now)
              end
              return allowed, left
            end
            local r_ok, r_left = bucket(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
            local t_ok, t_left = bucket(KEYS[3], KEYS[4], tonumber(ARGV[4]), tonumber(ARGV[5]),
                r_ok and tonumber(ARGV[6]) or 0)
            return { r_ok and 1 or 0, r_left, t_ok and 1 or 0, t_left, tonumber(time[2]) }
            """, (Class<List<Long>>) (Class<?>) List.class);

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

    /**
     * Both limits' state after a request was weighed.
     *
     * @param secondFraction how far into its (whole-second) refill step Redis decided, 0 to 1: a request refused
     *                       with {@code Retry-After: k} stays refused for {@code k - secondFraction} seconds
     */
    public record Admission(Quota requests, Quota tokens, double secondFraction) {

        static Admission unknown(TenantPlan plan) {
            return new Admission(Quota.unknown(plan.requestsPerMinute()), Quota.unknown(plan.tokensPerMinute()), 0);
        }
    }

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final FaultLog faults = new FaultLog(LoggerFactory.getLogger(RateLimits.class));

    /** {@code prefix}: the gateway's Redis key prefix ({@code dragon.gateway.auth.key-prefix}). */
    public RateLimits(ReactiveStringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Takes one request and {@code tokens} (0: only reads the token budget) from {@code tenant}'s buckets. */
    public Mono<Admission> admit(String tenant, TenantPlan plan, long tokens) {
        MinuteBucket requests = new MinuteBucket(plan.requestsPerMinute());
        MinuteBucket budget = new MinuteBucket(plan.tokensPerMinute());
        List<String> keys = List.of(tokensKey(tenant, "rpm", requests), timestampKey(tenant, "rpm", requests),
                tokensKey(tenant, "tpm", budget), timestampKey(tenant, "tpm", budget));
        List<String> args = List.of(Long.toString(requests.rate()), Long.toString(requests.capacity()),
                Long.toString(requests.units(1)), Long.toString(budget.rate()), Long.toString(budget.capacity()),
                Long.toString(budget.units(tokens)));
        return redis.execute(ADMIT, keys, args)
                .next()
                .map(r -> {
                    boolean admitted = r.get(0) == 1L;
                    return new Admission(requests.quota(admitted, r.get(1), 1),
                            budget.quota(r.get(2) == 1L, r.get(3), admitted ? tokens : 0), r.get(4) / 1e6);
                })
                .onErrorResume(e -> {
                    faults.warn("rate limits unavailable, request let through: {}", e.toString());
                    return Mono.just(Admission.unknown(plan));
                });
    }

    /** Gives back {@code tokens} (negative: takes more) once a request's real usage is known. */
    public Mono<Void> adjust(String tenant, long tokensPerMinute, long tokens) {
        if (tokens == 0) {
            return Mono.empty();
        }
        MinuteBucket bucket = new MinuteBucket(tokensPerMinute);
        return redis.execute(ADJUST, List.of(tokensKey(tenant, "tpm", bucket)),
                        List.of(Long.toString(bucket.capacity()), Long.toString(bucket.units(tokens))))
                .then()
                .onErrorResume(e -> {
                    faults.warn("token budget not reconciled for tenant {}: {}", tenant, e.toString());
                    return Mono.empty();
                });
    }

    /** {@code <prefix>limit:{tenant}:rpm-60:tokens}: a bucket per plan shape, so a plan change starts afresh. */
    private String tokensKey(String tenant, String kind, MinuteBucket bucket) {
        return prefix + "limit:{" + tenant + "}:" + kind + "-" + bucket.perMinute() + ":tokens";
    }

    private String timestampKey(String tenant, String kind, MinuteBucket bucket) {
        return prefix + "limit:{" + tenant + "}:" + kind + "-" + bucket.perMinute() + ":timestamp";
    }
}
