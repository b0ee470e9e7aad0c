package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.gateway.auth.TenantPlan;
import dev.dragon.gateway.testing.EmbeddedRedis;
import dev.dragon.gateway.testing.RedisStats;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Leased slices of the limits, two gateway replicas against one real Redis. */
class LeasedLimitsIT {

    private static final EmbeddedRedis REDIS = EmbeddedRedis.shared();
    private static LettuceConnectionFactory connections;
    private static RateLimits limits;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("localhost", REDIS.port()));
        connections.afterPropertiesSet();
        connections.start();
        limits = new RateLimits(new ReactiveStringRedisTemplate(connections), "test:lease:");
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    private LeasedLimits replica(double fraction) {
        return new LeasedLimits(limits, fraction, Duration.ofSeconds(2), 1.0, 100, clock::get);
    }

    private static TenantPlan plan(int requestsPerMinute, int tokensPerMinute) {
        return new TenantPlan(requestsPerMinute, tokensPerMinute, 64, List.of("*"));
    }

    private static String tenant() {
        return "lease-" + UUID.randomUUID();
    }

    @Test
    void admit_servesMostRequestsFromTheSlice_withoutARedisCallEach() {
        LeasedLimits replica = replica(0.01);
        String tenant = tenant();
        TenantPlan plan = plan(6_000, 1_000_000);   // slices of 60 requests and 10,000 tokens

        RedisStats before = RedisStats.of(REDIS.port());
        for (int i = 0; i < 200; i++) {
            RateLimits.Admission admission = replica.admit(tenant, plan, 10).block();
            assertThat(admission.allowed()).isTrue();
            assertThat(admission.requests().known()).isTrue();
            assertThat(admission.tokens().known()).isTrue();
        }
        RedisStats after = RedisStats.of(REDIS.port());

        // 200 requests from slices of 60 topped up at half: a handful of script calls, not 200
        assertThat(after.scriptCallsSince(before)).as(after.breakdownSince(before)).isBetween(3L, 12L);
    }

    @Test
    void twoReplicas_neverAdmitMoreThanTheLimit_andRefuseWithTheLimitsOwn429() {
        LeasedLimits first = replica(0.1);
        LeasedLimits second = replica(0.1);
        String tenant = tenant();
        TenantPlan plan = plan(300, 1_000_000);   // slices of 30 requests

        int admitted = 0;
        RateLimits.Admission refused = null;
        for (int i = 0; i < 400; i++) {
            RateLimits.Admission admission = (i % 2 == 0 ? first : second).admit(tenant, plan, 1).block();
            if (admission.allowed()) {
                admitted++;
            } else if (refused == null) {
                refused = admission;
            }
        }

        // the bucket holds 300 requests and refills 5 a second (the test takes about one): never more than that,
        // and no more short of it than the two slices the replicas may still hold
        assertThat(admitted).isBetween(300 - 2 * 30, 300 + 10);
        assertThat(refused).isNotNull();
        assertThat(refused.requests().allowed()).isFalse();
        assertThat(refused.requests().retryAfterSeconds()).isBetween(1L, 60L);
    }

    @Test
    void aSliceHeldPastItsTime_isGivenBack_notUsed() {
        LeasedLimits replica = replica(0.1);
        LeasedLimits other = replica(0.1);
        String tenant = tenant();
        TenantPlan plan = plan(300, 1_000_000);
        assertThat(replica.admit(tenant, plan, 1).block().allowed()).isTrue();   // takes 1 + a slice of 30
        long heldLeft = other.admit(tenant, plan, 1).block().requests().remaining();

        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        // past its time: the slice goes back to Redis and this request is weighed there
        RedisStats before = RedisStats.of(REDIS.port());
        RateLimits.Admission afterExpiry = replica.admit(tenant, plan, 1).block();
        RedisStats after = RedisStats.of(REDIS.port());

        assertThat(afterExpiry.allowed()).isTrue();
        assertThat(after.scriptCallsSince(before)).as(after.breakdownSince(before)).isGreaterThanOrEqualTo(2);
        // the other replica saw 300 - 31 - 31 + its own 30 held = 268; had the 30 unused requests of the first
        // slice not come back, this request would see 300 - 31 - 31 - 31 + 30 = 237; it sees 268 - 2 or more
        assertThat(heldLeft).isBetween(266L, 270L);
        assertThat(afterExpiry.requests().remaining()).isGreaterThanOrEqualTo(heldLeft - 2);
    }

    @Test
    void smallPlans_areWeighedInRedisEveryTime() {
        LeasedLimits replica = replica(0.01);
        String tenant = tenant();
        TenantPlan plan = plan(100, 100_000);   // 1 % is one request: not worth a slice

        RedisStats before = RedisStats.of(REDIS.port());
        for (int i = 0; i < 5; i++) {
            assertThat(replica.admit(tenant, plan, 1).block().allowed()).isTrue();
        }
        RedisStats after = RedisStats.of(REDIS.port());

        assertThat(after.scriptCallsSince(before)).as(after.breakdownSince(before)).isEqualTo(5);
    }
}
