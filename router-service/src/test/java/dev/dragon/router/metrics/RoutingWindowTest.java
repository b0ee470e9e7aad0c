package dev.dragon.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Routing load over the sliding minute: imbalance and experts per token, forgetting what is older. */
class RoutingWindowTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RoutingWindow window = new RoutingWindow(2, 4, Duration.ofSeconds(60), 12, now::get);

    @Test
    void withoutTraffic_bothReadZero() {
        assertThat(window.loadImbalance(0)).isZero();
        assertThat(window.expertsPerToken()).isZero();
    }

    @Test
    void imbalance_isBusiestExpertOverTheMeanPerExpert() {
        window.record(0, new int[] {6, 2, 0, 0}, 4);             // mean 2, max 6
        window.record(1, new int[] {2, 2, 2, 2}, 4);

        assertThat(window.loadImbalance(0)).isEqualTo(3.0);
        assertThat(window.loadImbalance(1)).isEqualTo(1.0);
    }

    @Test
    void expertsPerToken_isAssignmentsOverRoutedRows() {
        window.record(0, new int[] {3, 3, 0, 0}, 3);             // 2 per row
        window.record(1, new int[] {1, 0, 0, 0}, 1);             // 1 per row

        assertThat(window.expertsPerToken()).isEqualTo(7.0 / 4);
    }

    @Test
    void countsOlderThanTheWindow_areForgotten_andRecentOnesKept() {
        window.record(0, new int[] {8, 0, 0, 0}, 4);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        window.record(0, new int[] {0, 8, 0, 0}, 4);

        assertThat(window.loadImbalance(0)).isEqualTo(2.0);      // both halves of the minute: 8, 8, 0, 0

        now.addAndGet(Duration.ofSeconds(40).toNanos());         // the first record is 70 s old
        assertThat(window.loadImbalance(0)).isEqualTo(4.0);      // only 0, 8, 0, 0

        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(window.loadImbalance(0)).isZero();
        assertThat(window.expertsPerToken()).isZero();
    }
}
