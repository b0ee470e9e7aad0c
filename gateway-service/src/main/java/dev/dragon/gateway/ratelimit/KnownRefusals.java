package dev.dragon.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tenants this replica knows to be over their request limit, and until when: a request bucket that refused
 * a request refills in whole-second steps and gives nothing back, so it keeps refusing for exactly
 * {@code Retry-After - secondFraction} seconds whatever any replica does (others can only take more). Inside
 * that window a request is refused here, before its body is read and without asking Redis; the first request
 * after it asks Redis again. So the refusals are the ones Redis would give: no request is refused that it would
 * admit. (Token budgets are not remembered: usage reconciliation gives tokens back at any time.)
 */
public final class KnownRefusals {

    /** Margin for the time between Redis's decision and this replica learning of it. */
    private static final long SLACK_NANOS = 20_000_000L;

    private record Refusal(long requestsPerMinute, Quota requests, Quota tokens, long decidedAt, long until) {
    }

    private final Map<String, Refusal> byTenant = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final LongSupplier nanoTime;

    public KnownRefusals(int maxEntries, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** Remembers a request-limit refusal Redis just gave (an admitted request forgets any earlier one). */
    void learn(String tenant, long requestsPerMinute, RateLimits.Admission admission) {
        Quota requests = admission.requests();
        if (requests.allowed() || !requests.known()) {
            byTenant.remove(tenant);
            return;
        }
        long now = nanoTime.getAsLong();
        long window = (long) ((requests.retryAfterSeconds() - admission.secondFraction()) * 1e9) - SLACK_NANOS;
        if (window <= 0) {
            return;
        }
        if (byTenant.size() >= maxEntries) {
            byTenant.clear();
        }
        byTenant.put(tenant, new Refusal(requestsPerMinute, requests, admission.tokens(), now, now + window));
    }

    /**
     * The state of {@code tenant}'s limits when it is known to be refused now ({@code requests} with the
     * time-dependent fields aged to now), else null.
     */
    RateLimits.Admission refusal(String tenant, long requestsPerMinute) {
        Refusal refusal = byTenant.get(tenant);
        if (refusal == null || refusal.requestsPerMinute() != requestsPerMinute) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - refusal.until() >= 0) {
            byTenant.remove(tenant, refusal);
            return null;
        }
        double elapsed = (now - refusal.decidedAt()) / 1e9;
        Quota r = refusal.requests();
        long retryAfter = Math.max(1, (long) Math.ceil((refusal.until() - now) / 1e9));
        Quota aged = new Quota(false, r.limit(), r.remaining(), Math.max(0, r.resetSeconds() - elapsed), retryAfter);
        Quota t = refusal.tokens();
        Quota tokens = t.known() ? new Quota(t.allowed(), t.limit(), t.remaining(),
                Math.max(0, t.resetSeconds() - elapsed), 0) : t;
        return new RateLimits.Admission(aged, tokens, 0);
    }
}
