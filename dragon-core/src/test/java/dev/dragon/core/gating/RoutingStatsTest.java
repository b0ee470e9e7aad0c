package dev.dragon.core.gating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RoutingStatsTest {

    private static Routing routing(int[][] experts) {
        int[] offsets = new int[experts.length + 1];
        List<Integer> flat = new ArrayList<>();
        for (int r = 0; r < experts.length; r++) {
            for (int e : experts[r]) {
                flat.add(e);
            }
            offsets[r + 1] = flat.size();
        }
        float[] weights = new float[flat.size()];
        java.util.Arrays.fill(weights, 0.5f);
        return new Routing(offsets, flat.stream().mapToInt(Integer::intValue).toArray(), weights);
    }

    @Test
    void countsTokensPerLayerAndExpert() {
        RoutingStats stats = new RoutingStats(2, 4);
        stats.record(0, routing(new int[][] {{0, 1}, {0, 2}, {0}}));
        stats.record(1, routing(new int[][] {{3, 2, 1}}));
        assertThat(stats.tokens(0, 0)).isEqualTo(3);
        assertThat(stats.tokens(0, 1)).isEqualTo(1);
        assertThat(stats.tokens(0, 3)).isZero();
        assertThat(stats.tokens(1, 3)).isEqualTo(1);
        assertThat(stats.rows(0)).isEqualTo(3);
        assertThat(stats.rows(1)).isEqualTo(1);
    }

    @Test
    void reportsAverageExpertsPerToken() {
        RoutingStats stats = new RoutingStats(2, 4);
        assertThat(stats.averageExpertsPerToken()).isZero();
        stats.record(0, routing(new int[][] {{0, 1}, {0, 2, 3}, {0}})); // 6 assignments / 3 rows
        stats.record(1, routing(new int[][] {{3}}));                    // 1 / 1
        assertThat(stats.averageExpertsPerToken(0)).isEqualTo(2.0);
        assertThat(stats.averageExpertsPerToken(1)).isEqualTo(1.0);
        assertThat(stats.averageExpertsPerToken()).isEqualTo(7.0 / 4);
    }

    @Test
    void reportsLoadMaxOverMean() {
        RoutingStats stats = new RoutingStats(1, 4);
        assertThat(stats.loadMaxOverMean(0)).isZero();
        stats.record(0, routing(new int[][] {{0, 1}, {2, 3}}));
        assertThat(stats.loadMaxOverMean(0)).isEqualTo(1.0);
        stats.record(0, routing(new int[][] {{0}, {0}, {0}, {0}}));
        // counts 5, 1, 1, 1: mean 2, max 5
        assertThat(stats.loadMaxOverMean(0)).isCloseTo(2.5, within(1e-12));
        stats.reset();
        assertThat(stats.tokens(0, 0)).isZero();
        assertThat(stats.rows(0)).isZero();
    }

    @Test
    void averageMatchesAdaptiveRoutingFromAGate() {
        Gate gate = new Gate(GateTest.WEIGHTS, new float[4], 4, 2, GatingPolicy.adaptive(0.7, 1, 4));
        Routing routing = gate.route(new float[] {1f, 0f, 0f, 1f, -1f, 0f, 2f, 2f}, 0, 4);
        RoutingStats stats = new RoutingStats(1, 4);
        stats.record(0, routing);
        assertThat(stats.averageExpertsPerToken(0)).isEqualTo(routing.averageExpertsPerRow());
        assertThat(stats.averageExpertsPerToken(0)).isEqualTo((double) routing.totalAssignments() / 4);
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        RoutingStats stats = new RoutingStats(3, 4);
        Routing batch = routing(new int[][] {{0, 1}, {2, 3}, {1, 2}});
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        stats.record((thread + i) % 3, batch);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long rows = stats.rows(0) + stats.rows(1) + stats.rows(2);
        assertThat(rows).isEqualTo(4 * 5_000 * 3);
        long onExpertOne = stats.tokens(0, 1) + stats.tokens(1, 1) + stats.tokens(2, 1);
        assertThat(onExpertOne).isEqualTo(4 * 5_000 * 2);
        assertThat(stats.averageExpertsPerToken()).isEqualTo(2.0);
    }
}
