package dev.dragon.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MinuteBucketTest {

    @Test
    void shape_refillsThePerMinuteLimitOverOneMinute_andHoldsAMinutesWorth() {
        MinuteBucket bucket = new MinuteBucket(30);
        // 30 units/s, 60 units per item: one item every 2 s = 30 per minute
        assertThat(bucket.rate()).isEqualTo(30);
        assertThat(bucket.units(1)).isEqualTo(MinuteBucket.UNITS);
        assertThat(bucket.capacity() / bucket.units(1)).isEqualTo(30);
        assertThat(60.0 * bucket.rate() / bucket.units(1)).isEqualTo(30.0);
    }

    @Test
    void allowedQuota_reportsWholeItemsLeft_andTimeUntilFull() {
        MinuteBucket bucket = new MinuteBucket(30);
        Quota quota = bucket.quota(true, 1770, 1); // 29.5 items left
        assertThat(quota.allowed()).isTrue();
        assertThat(quota.remaining()).isEqualTo(29);
        assertThat(quota.resetSeconds()).isEqualTo(1.0); // 30 units missing at 30 units/s
        assertThat(quota.retryAfterSeconds()).isZero();
    }

    @Test
    void refusedQuota_saysWhenTheRequestWouldFit() {
        MinuteBucket bucket = new MinuteBucket(100);
        Quota quota = bucket.quota(false, 1000, 83); // needs 4980 units, has 1000, refills 100/s
        assertThat(quota.allowed()).isFalse();
        assertThat(quota.retryAfterSeconds()).isEqualTo(40);
        assertThat(quota.remaining()).isEqualTo(16);
    }

    @Test
    void refusedQuota_waitsAtLeastOneSecond() {
        assertThat(new MinuteBucket(6000).quota(false, 59, 1).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void negativeUnitsLeft_areADebt_nothingRemains_andTheDecisionStands() {
        // 10 a minute: 600 units, 10 a second; 120 units in debt, a request needs 60
        Quota refused = new MinuteBucket(10).quota(false, -120, 1);
        assertThat(refused.known()).isTrue();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(18);
        assertThat(refused.resetSeconds()).isEqualTo(72.0);
        assertThat(new MinuteBucket(10).quota(true, -1, 1).allowed()).isTrue();
    }

    @Test
    void limitsBelowOnePerMinute_areRefused() {
        assertThatThrownBy(() -> new MinuteBucket(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
