package dev.dragon.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One line per key per interval gets through, and it says how many were held back. */
class LogThrottleTest {

    @Test
    void admit_letsTheFirstLineThrough_holdsBackRepeats_andReportsThemWithTheNextOne() {
        LogThrottle throttle = new LogThrottle(TimeUnit.MILLISECONDS.toNanos(200));

        assertThat(throttle.admit("g0")).isZero();
        assertThat(throttle.admit("g0")).isEqualTo(-1);
        assertThat(throttle.admit("g0")).isEqualTo(-1);
        assertThat(throttle.admit("g1")).as("keys are independent").isZero();

        AtomicLong next = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    next.set(throttle.admit("g0"));
                    return next.get() >= 0;
                });
        assertThat(next.get()).as("repeats held back, polls included").isGreaterThanOrEqualTo(2);
    }
}
