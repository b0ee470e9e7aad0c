package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.error.FaultLog;
import dev.dragon.support.logging.RequestMdc;
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
 * {@link #adjust} corrects its token reservation with a second small script, off the request's path. The same
 * script can take units in advance for a replica-local lease ({@link #take}, {@link LeasedLimits}).
 * <p>
 * The four keys share the hash tag {@code {tenant}}, so the script also runs on a Redis Cluster. A Redis failure
 * (Lettuce's command timeout included, {@code dragon.gateway.auth.redis-timeout}) answers with unknown quotas;
 * {@link LeasedLimits} then weighs the request in this replica's {@link OutageBuckets}.
 */
public final class RateLimits {

    /**
     * KEYS: request bucket tokens, timestamp; token bucket tokens, timestamp. ARGV: request rate, capacity, units
     * needed, units wanted; token rate, capacity, units needed, units wanted. When both buckets hold what is
     * needed, each grants up to what is wanted (never less than needed); a request the token bucket refuses still
     * takes its one request (as when the limits were asked one after the other), one the request bucket refuses
     * takes nothing (the token bucket is then only read for the headers). Returns {requests
     * allowed, request units left, request units granted, tokens allowed, token units left, token units granted,
     * microseconds into the Redis second of the decision}. With wanted = needed this is a plain admission.
     */
    @SuppressWarnings("unchecked")
    static final RedisScript<List<Long>> ADMIT = RedisScript.of("""
            redis.replicate_commands()
            local time = redis.call('TIME')
            local now = tonumber(time[1])
            local function filled(tokens_key, timestamp_key, rate, capacity)
              local last_tokens = tonumber(redis.call('get', tokens_key)) or capacity
              local last_refreshed = tonumber(redis.call('get', timestamp_key)) or 0
              return math.min(capacity, last_tokens + math.max(0, now - last_refreshed) * rate)
            end
            local function store(tokens_key, timestamp_key, rate, capacity, left)
              local ttl = math.floor(capacity / rate * 2)
              if ttl > 0 then
                redis.call('setex', tokens_key, ttl, left)
                redis.call('setex', timestamp_key, ttl, now)
              end
            end
            local r_rate, r_capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
            local r_needed, r_wanted = tonumber(ARGV[3]), tonumber(ARGV[4])
            local t_rate, t_capacity = tonumber(ARGV[5]), tonumber(ARGV[6])
            local t_needed, t_wanted = tonumber(ARGV[7]), tonumber(ARGV[8])
            local r_filled = filled(KEYS[1], KEYS[2], r_rate, r_capacity)
            local t_filled = filled(KEYS[3], KEYS[4], t_rate, t_capacity)
            local r_ok = r_filled >= r_needed
            local t_ok = (not r_ok) or t_filled >= t_needed
            local r_granted, t_granted = 0, 0
            if r_ok and t_ok then
              r_granted = math.max(r_needed, math.min(r_filled, r_wanted))
              t_granted = math.max(t_needed, math.min(t_filled, t_wanted))
            elseif r_ok then
              r_granted = r_needed
            end
            store(KEYS[1], KEYS[2], r_rate, r_capacity, r_filled - r_granted)
            store(KEYS[3], KEYS[4], t_rate, t_capacity, t_filled - t_granted)
            return { r_ok and 1 or 0, r_filled - r_granted, r_granted, t_ok and 1 or 0, t_filled - t_granted,
                t_granted, tonumber(time[2]) }
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

        boolean allowed() {
            return requests.allowed() && tokens.allowed();
        }
    }

    /**
     * A weighing that also took units in advance ({@link LeasedLimits}): the admission of the request itself
     * (its quotas unknown when Redis did not answer), the units granted beyond what it needed (0 when refused or
     * unanswered) and the units Redis had left (negative: a debt from usage above a reservation).
     */
    public record Grant(Admission admission, long requestUnits, long tokenUnits, long requestUnitsLeft,
                        long tokenUnitsLeft) {
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
        return take(tenant, plan, 1, tokens, 0, 0).map(Grant::admission);
    }

    /**
     * Takes what a request needs ({@code requests}: 1, or 0 for a top-up that weighs no request; {@code tokens}
     * may be 0), and if that fits, up to {@code extraRequests} requests and {@code extraTokens} tokens more, which
     * the caller then holds for later requests.
     */
    public Mono<Grant> take(String tenant, TenantPlan plan, long needRequests, long tokens, long extraRequests,
                            long extraTokens) {
        MinuteBucket requests = new MinuteBucket(plan.requestsPerMinute());
        MinuteBucket budget = new MinuteBucket(plan.tokensPerMinute());
        long requestNeed = requests.units(needRequests);
        long tokenNeed = budget.units(tokens);
        List<String> keys = List.of(tokensKey(tenant, "rpm", requests), timestampKey(tenant, "rpm", requests),
                tokensKey(tenant, "tpm", budget), timestampKey(tenant, "tpm", budget));
        List<String> args = List.of(Long.toString(requests.rate()), Long.toString(requests.capacity()),
                Long.toString(requestNeed), Long.toString(requestNeed + requests.units(extraRequests)),
                Long.toString(budget.rate()), Long.toString(budget.capacity()),
                Long.toString(tokenNeed), Long.toString(tokenNeed + budget.units(extraTokens)));
        return redis.execute(ADMIT, keys, args)
                .next()
                .map(r -> {
                    boolean admitted = r.get(0) == 1L;
                    boolean withinBudget = r.get(3) == 1L;
                    Admission admission = new Admission(requests.quota(admitted, r.get(1), 1),
                            budget.quota(withinBudget, r.get(4), admitted ? tokens : 0), r.get(6) / 1e6);
                    if (!admission.allowed()) {
                        // a request the token budget refused still took its request unit, like a plain admission
                        return new Grant(admission, 0, 0, r.get(1), r.get(4));
                    }
                    return new Grant(admission, r.get(2) - requestNeed, r.get(5) - tokenNeed, r.get(1), r.get(4));
                })
                .onErrorResume(e -> Mono.deferContextual(ctx -> RequestMdc.call(ctx, () -> {
                    faults.warn("rate limits unavailable in Redis, this replica's own buckets decide: {}", e.toString());
                    return Mono.just(new Grant(Admission.unknown(plan), 0, 0, -1, -1));
                })));
    }

    /** Gives back units held in advance and not used (a lease that expired), to both buckets. */
    public Mono<Void> giveBack(String tenant, TenantPlan plan, long requestUnits, long tokenUnits) {
        MinuteBucket requests = new MinuteBucket(plan.requestsPerMinute());
        MinuteBucket budget = new MinuteBucket(plan.tokensPerMinute());
        Mono<Long> r = requestUnits <= 0 ? Mono.empty() : redis.execute(ADJUST,
                List.of(tokensKey(tenant, "rpm", requests)),
                List.of(Long.toString(requests.capacity()), Long.toString(requestUnits))).next();
        Mono<Long> t = tokenUnits <= 0 ? Mono.empty() : redis.execute(ADJUST,
                List.of(tokensKey(tenant, "tpm", budget)),
                List.of(Long.toString(budget.capacity()), Long.toString(tokenUnits))).next();
        return Mono.when(r, t).onErrorResume(e -> {
            faults.warn("leased units of tenant {} not given back: {}", tenant, e.toString());
            return Mono.empty();
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
