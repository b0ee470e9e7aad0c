package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.TenantPlan;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The limits while Redis cannot be asked: per tenant, a request bucket and a token bucket in this replica's
 * memory, each holding {@code share} of a minute's allowance and refilling at the same share of the plan's rate,
 * so a tenant is neither cut off nor let through unlimited during an outage. Bound: with N replicas, up to
 * {@code N x share} of each limit per minute (set {@code share} to 1/N for N replicas to keep the plan), plus
 * what the tenant had already used in Redis when the outage began (the local buckets start full).
 */
final class OutageBuckets {

    private final double share;
    private final int maxTenants;
    private final LongSupplier nanoTime;
    private final Map<String, Buckets> byTenant = new ConcurrentHashMap<>();

    OutageBuckets(double share, int maxTenants, LongSupplier nanoTime) {
        this.share = share;
        this.maxTenants = maxTenants;
        this.nanoTime = nanoTime;
    }

    /** One request and {@code tokens} from {@code tenant}'s local buckets: admitted, or refused with its wait. */
    RateLimits.Admission admit(String tenant, TenantPlan plan, long tokens) {
        String key = LeasedLimits.planKey(tenant, plan);
        Buckets buckets = byTenant.get(key);
        if (buckets == null) {
            if (byTenant.size() >= maxTenants) {
                byTenant.clear();
            }
            buckets = byTenant.computeIfAbsent(key, k -> new Buckets(plan.requestsPerMinute() * share,
                    plan.tokensPerMinute() * share, nanoTime.getAsLong()));
        }
        return buckets.take(plan, tokens, nanoTime.getAsLong());
    }

    /** Items per minute, refilled continuously; {@code level} may not exceed one minute's allowance. */
    private static final class Buckets {
        private final double requestsPerMinute;
        private final double tokensPerMinute;
        private double requests;
        private double tokens;
        private long refilledAt;

        Buckets(double requestsPerMinute, double tokensPerMinute, long now) {
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerMinute = tokensPerMinute;
            this.requests = requestsPerMinute;
            this.tokens = tokensPerMinute;
            this.refilledAt = now;
        }

        synchronized RateLimits.Admission take(TenantPlan plan, long wanted, long now) {
            double minutes = (now - refilledAt) / 60e9;
            refilledAt = now;
            requests = Math.min(requestsPerMinute, requests + minutes * requestsPerMinute);
            tokens = Math.min(tokensPerMinute, tokens + minutes * tokensPerMinute);
            boolean requestOk = requests >= 1;
            boolean tokensOk = !requestOk || tokens >= wanted;
            if (requestOk) {
                requests -= 1;
            }
            if (requestOk && tokensOk) {
                tokens -= wanted;
            }
            return new RateLimits.Admission(
                    quota(requestOk, plan.requestsPerMinute(), requests, requestsPerMinute, 1),
                    quota(tokensOk, plan.tokensPerMinute(), tokens, tokensPerMinute, requestOk ? wanted : 0), 0);
        }

        private static Quota quota(boolean allowed, long limit, double level, double perMinute, long wanted) {
            double perSecond = perMinute / 60;
            double reset = perSecond <= 0 ? 0 : (perMinute - level) / perSecond;
            long retryAfter = allowed ? 0 : perSecond <= 0 ? 60
                    : Math.max(1, (long) Math.ceil((Math.max(1, wanted) - level) / perSecond));
            return new Quota(allowed, limit, (long) Math.floor(level), reset, retryAfter);
        }
    }
}
