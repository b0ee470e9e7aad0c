package dev.dragon.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dispatch share: wait grown during decode steps over their duration, in the last minute only. */
class DispatchShareTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000_000L);
    private final AtomicLong waited = new AtomicLong(123);          // the dispatch layer's cumulative wait
    private final DispatchShare share = new DispatchShare(Duration.ofSeconds(60), 12, now::get, waited::get);

    @Test
    void withoutSteps_theShareIsZero() {
        assertThat(share.share()).isZero();
    }

    @Test
    void share_isTheWaitDuringDecodeStepsOverTheirDuration() {
        step(true, 100, 25);
        step(true, 300, 75);

        assertThat(share.share()).isEqualTo(0.25);
    }

    @Test
    void prefillSteps_andTheirWait_areLeftOut() {
        step(false, 1000, 900);
        step(true, 100, 50);

        assertThat(share.share()).isEqualTo(0.5);
    }

    @Test
    void stepsOlderThanTheWindow_areForgotten() {
        step(true, 100, 100);
        now.addAndGet(Duration.ofSeconds(45).toNanos());
        step(true, 100, 0);
        assertThat(share.share()).isEqualTo(0.5);

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(share.share()).isZero();
    }

    private void step(boolean decode, long nanos, long waitedDuringStep) {
        waited.addAndGet(waitedDuringStep);
        share.onStep(decode, nanos);
    }
}
