package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KnownRefusalsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final KnownRefusals refusals = new KnownRefusals(100, now::get);

    /** Refused with 30 s to wait, decided 0.4 s into Redis's second: refused for another 29.6 s, not longer. */
    @Test
    void aRefusal_isRemembered_exactlyUntilTheBucketCouldAdmitAgain() {
        refusals.learn("t", 2, refused(30, 0.4));

        now.addAndGet(29 * SECOND);
        RateLimits.Admission remembered = refusals.refusal("t", 2);
        assertThat(remembered).isNotNull();
        assertThat(remembered.requests().allowed()).isFalse();
        assertThat(remembered.requests().retryAfterSeconds()).isEqualTo(1);
        assertThat(remembered.requests().resetSeconds()).isEqualTo(31.0, org.assertj.core.data.Offset.offset(1e-6));

        now.addAndGet(SECOND * 6 / 10);
        assertThat(refusals.refusal("t", 2)).isNull();
    }

    @Test
    void aRefusalAtTheEdgeOfItsSecond_isNotRememberedAtAll() {
        refusals.learn("t", 60, refused(1, 0.99));
        assertThat(refusals.refusal("t", 60)).isNull();
    }

    @Test
    void anAdmission_aPlanChange_orAnUnknownQuota_forgetTheRefusal() {
        refusals.learn("t", 2, refused(30, 0));
        assertThat(refusals.refusal("t", 3)).as("another plan, another bucket").isNull();
        refusals.learn("t", 2, new RateLimits.Admission(new Quota(true, 2, 1, 30, 0), tokens(), 0));
        assertThat(refusals.refusal("t", 2)).isNull();
        refusals.learn("u", 2, new RateLimits.Admission(Quota.unknown(2), tokens(), 0));
        assertThat(refusals.refusal("u", 2)).isNull();
    }

    private static RateLimits.Admission refused(long retryAfter, double secondFraction) {
        return new RateLimits.Admission(new Quota(false, 2, 0, 60, retryAfter), tokens(), secondFraction);
    }

    private static Quota tokens() {
        return new Quota(true, 1000, 900, 6, 0);
    }
}
