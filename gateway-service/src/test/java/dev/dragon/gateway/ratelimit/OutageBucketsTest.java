package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.auth.TenantPlan;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutageBucketsTest {

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private static final TenantPlan PLAN = new TenantPlan(6, 600, 64, List.of("*"));

    @Test
    void admitsAMinutesShare_thenRefusesWithTheWait_andRefills() {
        OutageBuckets buckets = new OutageBuckets(0.5, 10, clock::get);   // 3 requests, 300 tokens a minute
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.admit("t", PLAN, 10).allowed()).isTrue();
        }
        RateLimits.Admission refused = buckets.admit("t", PLAN, 10);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.requests().allowed()).isFalse();
        assertThat(refused.requests().remaining()).isZero();
        assertThat(refused.requests().limit()).isEqualTo(6);
        assertThat(refused.requests().retryAfterSeconds()).isEqualTo(20);   // one request per 20 s at 3 a minute

        clock.addAndGet(20_000_000_000L);
        assertThat(buckets.admit("t", PLAN, 10).allowed()).isTrue();
        assertThat(buckets.admit("other", PLAN, 10).allowed()).as("tenants are separate").isTrue();
    }

    @Test
    void tokenBudget_refusesARequestItCannotCover_butTheRequestStillCounts() {
        OutageBuckets buckets = new OutageBuckets(1, 10, clock::get);
        RateLimits.Admission big = buckets.admit("t", PLAN, 601);
        assertThat(big.allowed()).isFalse();
        assertThat(big.requests().allowed()).isTrue();
        assertThat(big.tokens().allowed()).isFalse();
        assertThat(buckets.admit("t", PLAN, 600).requests().remaining()).isEqualTo(4);
    }

    @Test
    void shareZero_refusesEverything() {
        assertThat(new OutageBuckets(0, 10, clock::get).admit("t", PLAN, 1).allowed()).isFalse();
    }
}
