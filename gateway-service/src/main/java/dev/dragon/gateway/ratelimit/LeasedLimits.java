package dev.dragon.gateway.ratelimit;

import dev.dragon.gateway.auth.TenantPlan;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * Both per-minute limits without a Redis round trip on most requests, the way Envoy's and Kong's local rate
 * limits take the shared store off the hot path, but by leasing rather than by reconciling afterwards: when a
 * request of a tenant is weighed in Redis, this replica also takes a slice of the tenant's buckets in advance
 * ({@code fraction} of a minute's allowance of requests and of tokens) and admits the following requests from
 * that slice in memory; a slice half spent is topped up by one Redis call off the request's path.
 * <p>
 * Bounds: every admitted request was paid for in Redis first, so over-admission comes only from using a unit
 * later than Redis granted it: at most what a replica holds, {@code fraction} of each limit per replica (and a
 * slice not topped up for {@code ttl} is given back, not used). The other way round, units a replica holds
 * and does not use are missing to the others until they are used or given back: again at most
 * {@code fraction} of each limit per replica.
 * <p>
 * While Redis cannot be asked, slices already held are still used, and whatever they do not cover is weighed
 * by this replica's {@link OutageBuckets} ({@code outageShare} of each limit): the limits hold, approximately,
 * instead of failing open.
 * <p>
 * A plan too small to lease a slice of at least {@value #MIN_REQUESTS} requests is weighed in Redis on every
 * request, exactly as before; so is a request whose token reservation the slice cannot cover. The
 * {@code x-ratelimit-remaining-*} of a request admitted from the slice are what Redis had left at the last
 * call plus what the slice still holds (the other replicas' use since that call is not in them).
 */
public final class LeasedLimits {

    /** The smallest slice worth leasing; smaller plans are weighed in Redis every time. */
    static final long MIN_REQUESTS = 2;

    private final RateLimits limits;
    private final double fraction;
    private final long ttlNanos;
    private final int maxTenants;
    private final LongSupplier nanoTime;
    private final OutageBuckets outage;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /**
     * @param fraction    share of a minute's allowance leased at a time (0 turns leasing off)
     * @param ttl         how long a slice may be held after it was taken before its rest is given back
     * @param outageShare share of each limit this replica admits on its own while Redis cannot be asked
     * @param maxTenants  most tenants holding a slice (or outage buckets) on this replica
     */
    public LeasedLimits(RateLimits limits, double fraction, Duration ttl, double outageShare, int maxTenants,
                        LongSupplier nanoTime) {
        this.limits = limits;
        this.fraction = fraction;
        this.ttlNanos = ttl.toNanos();
        this.maxTenants = maxTenants;
        this.nanoTime = nanoTime;
        this.outage = new OutageBuckets(outageShare, maxTenants, nanoTime);
    }

    /** One request and {@code tokens} of {@code tenant}'s budget: from this replica's slice, else from Redis. */
    public Mono<RateLimits.Admission> admit(String tenant, TenantPlan plan, long tokens) {
        long extraRequests = (long) (plan.requestsPerMinute() * fraction);
        long extraTokens = (long) (plan.tokensPerMinute() * fraction);
        if (extraRequests < MIN_REQUESTS) {
            return limits.take(tenant, plan, 1, tokens, 0, 0).map(grant -> answered(grant)
                    ? grant.admission() : outage.admit(tenant, plan, tokens));
        }
        String key = planKey(tenant, plan);
        Lease lease = leases.get(key);
        if (lease == null) {
            if (leases.size() >= maxTenants) {
                leases.values().forEach(held -> giveBack(held.tenant, held.plan, held.drain()));
                leases.clear();
            }
            lease = leases.computeIfAbsent(key, k -> new Lease(tenant, plan));
        }
        long now = nanoTime.getAsLong();
        Lease.Taken taken = lease.take(tokens, now, extraRequests / 2, extraTokens / 2);
        if (taken.expired() != null) {
            giveBack(tenant, plan, taken.expired());
        }
        if (taken.admission() != null) {
            if (taken.refill()) {
                Lease held = lease;
                long[] missing = lease.shortOf(extraRequests, extraTokens);
                limits.take(tenant, plan, 0, 0, missing[0], missing[1])
                        .doFinally(signal -> held.refillEnded())
                        .subscribe(grant -> held.add(grant, nanoTime.getAsLong() + ttlNanos));
            }
            return Mono.just(taken.admission());
        }
        Lease held = lease;
        long[] missing = lease.shortOf(extraRequests, extraTokens);
        return limits.take(tenant, plan, 1, tokens, missing[0], missing[1]).map(grant -> answered(grant)
                ? held.add(grant, nanoTime.getAsLong() + ttlNanos) : outage.admit(tenant, plan, tokens));
    }

    /** A tenant's slot under one plan shape (a plan change starts afresh, as the Redis keys do). */
    static String planKey(String tenant, TenantPlan plan) {
        return tenant + "/" + plan.requestsPerMinute() + "/" + plan.tokensPerMinute();
    }

    /** Whether Redis weighed the request (else this replica's {@link OutageBuckets} decide). */
    private static boolean answered(RateLimits.Grant grant) {
        return grant.admission().requests().known();
    }

    private void giveBack(String tenant, TenantPlan plan, long[] units) {
        if (units[0] > 0 || units[1] > 0) {
            limits.giveBack(tenant, plan, units[0], units[1]).subscribe();
        }
    }

    /** The units one tenant's slice holds on this replica, and what Redis had left when it was last asked. */
    private static final class Lease {
        private final String tenant;
        private final TenantPlan plan;
        private final MinuteBucket requests;
        private final MinuteBucket budget;
        private long requestUnits;
        private long tokenUnits;
        private boolean redisAnswered;
        private long redisRequestsLeft;
        private long redisTokensLeft;
        private long expiresAt;
        private boolean refilling;

        Lease(String tenant, TenantPlan plan) {
            this.tenant = tenant;
            this.plan = plan;
            this.requests = new MinuteBucket(plan.requestsPerMinute());
            this.budget = new MinuteBucket(plan.tokensPerMinute());
        }

        /**
         * @param admission the request's admission when the slice covered it, else null
         * @param refill    whether the caller should top the slice up (at most one top-up in flight)
         * @param expired   units of a slice held past its time, to give back, else null
         */
        record Taken(RateLimits.Admission admission, boolean refill, long[] expired) {
        }

        synchronized Taken take(long tokens, long now, long lowRequests, long lowTokens) {
            long[] expired = null;
            if (now - expiresAt >= 0 && (requestUnits > 0 || tokenUnits > 0)) {
                expired = drain();
            }
            long requestNeed = requests.units(1);
            long tokenNeed = budget.units(tokens);
            if (requestUnits < requestNeed || tokenUnits < tokenNeed) {
                return new Taken(null, false, expired);
            }
            requestUnits -= requestNeed;
            tokenUnits -= tokenNeed;
            RateLimits.Admission admission = new RateLimits.Admission(
                    quota(requests, redisRequestsLeft, requestUnits), quota(budget, redisTokensLeft, tokenUnits), 0);
            boolean refill = !refilling
                    && (requestUnits < requests.units(lowRequests) || tokenUnits < budget.units(lowTokens));
            if (refill) {
                refilling = true;
            }
            return new Taken(admission, refill, expired);
        }

        /**
         * Adds what Redis granted beyond the request it weighed (if any) and remembers what it had left; returns
         * the request's admission with what the slice holds counted in its remaining quotas.
         */
        synchronized RateLimits.Admission add(RateLimits.Grant grant, long expiresAt) {
            RateLimits.Admission admission = grant.admission();
            if (!admission.requests().known()) {
                return admission;   // Redis did not answer: nothing was granted
            }
            redisAnswered = true;
            requestUnits += grant.requestUnits();
            tokenUnits += grant.tokenUnits();
            redisRequestsLeft = grant.requestUnitsLeft();
            redisTokensLeft = grant.tokenUnitsLeft();
            if (grant.requestUnits() > 0 || grant.tokenUnits() > 0) {
                this.expiresAt = expiresAt;
            }
            if (!admission.allowed()) {
                return admission;
            }
            return new RateLimits.Admission(quota(requests, redisRequestsLeft, requestUnits),
                    quota(budget, redisTokensLeft, tokenUnits), admission.secondFraction());
        }

        synchronized void refillEnded() {
            refilling = false;
        }

        /** What the slice lacks of a full one, in items: {requests, tokens}. */
        synchronized long[] shortOf(long fullRequests, long fullTokens) {
            return new long[] {Math.max(0, fullRequests - requestUnits / MinuteBucket.UNITS),
                    Math.max(0, fullTokens - tokenUnits / MinuteBucket.UNITS)};
        }

        /** Empties the slice, returning what it held: {request units, token units}. */
        synchronized long[] drain() {
            long[] held = {requestUnits, tokenUnits};
            requestUnits = 0;
            tokenUnits = 0;
            return held;
        }

        /** An admitted request's quota: what Redis had left plus what the slice holds. */
        private Quota quota(MinuteBucket bucket, long redisLeft, long held) {
            return redisAnswered ? bucket.quota(true, redisLeft + held, 1) : Quota.unknown(bucket.perMinute());
        }
    }
}
