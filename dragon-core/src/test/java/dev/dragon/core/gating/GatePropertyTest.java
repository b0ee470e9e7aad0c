package dev.dragon.core.gating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class GatePropertyTest {

    @Property(tries = 300)
    void topKWeightsAreSelectedAffinitiesNormalisedAndIgnoreBias(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 1, max = 12) int experts,
                                                                  @ForAll @IntRange(min = 1, max = 8) int kWanted) {
        int k = Math.min(kWanted, experts);
        Fixture f = new Fixture(seed, experts, 6, 5);
        Gate gate = new Gate(f.weights, f.bias, experts, 6, GatingPolicy.topK(k));
        Routing routing = gate.route(f.u, 0, f.rows);
        float[] s = new float[f.rows * experts];
        gate.affinities(f.u, 0, f.rows, s, 0);
        for (int r = 0; r < f.rows; r++) {
            assertThat(routing.count(r)).isEqualTo(k);
            assertDistinctAndRanked(routing, r, s, f.bias, experts);
            double selectedSum = 0;
            for (int j = 0; j < k; j++) {
                selectedSum += s[r * experts + routing.expert(r, j)];
            }
            double weightSum = 0;
            for (int j = 0; j < k; j++) {
                double expected = s[r * experts + routing.expert(r, j)] / selectedSum;
                assertThat((double) routing.weight(r, j)).isCloseTo(expected, within(1e-6));
                weightSum += routing.weight(r, j);
            }
            assertThat(weightSum).isCloseTo(1.0, within(1e-6));
        }
    }

    @Property(tries = 300)
    void unselectedExpertsNeverOutrankSelectedOnes(@ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int experts) {
        Fixture f = new Fixture(seed, experts, 4, 3);
        Gate gate = new Gate(f.weights, f.bias, experts, 4, GatingPolicy.topK(experts / 2));
        Routing routing = gate.route(f.u, 0, f.rows);
        float[] s = new float[f.rows * experts];
        gate.affinities(f.u, 0, f.rows, s, 0);
        for (int r = 0; r < f.rows; r++) {
            Set<Integer> chosen = new HashSet<>();
            Arrays.stream(routing.experts(r)).forEach(chosen::add);
            int last = routing.expert(r, routing.count(r) - 1);
            for (int e = 0; e < experts; e++) {
                if (!chosen.contains(e)) {
                    double keyE = s[r * experts + e] + f.bias[e];
                    double keyLast = s[r * experts + last] + f.bias[last];
                    assertThat(keyE < keyLast || (keyE == keyLast && e > last)).isTrue();
                }
            }
        }
    }

    @Property(tries = 500)
    void adaptiveStaysWithinBoundsAndTakesTheMinimalPrefix(@ForAll long seed,
                                                           @ForAll @IntRange(min = 1, max = 16) int experts,
                                                           @ForAll @DoubleRange(min = 0.01, max = 1.0) double topP,
                                                           @ForAll @IntRange(min = 1, max = 6) int kMin,
                                                           @ForAll @IntRange(min = 0, max = 10) int extra) {
        if (kMin > experts) {
            kMin = experts;
        }
        int kMax = kMin + extra;
        Fixture f = new Fixture(seed, experts, 5, 4);
        Gate gate = new Gate(f.weights, f.bias, experts, 5, GatingPolicy.adaptive(topP, kMin, kMax));
        Routing routing = gate.route(f.u, 0, f.rows);
        float[] s = new float[f.rows * experts];
        gate.affinities(f.u, 0, f.rows, s, 0);
        for (int r = 0; r < f.rows; r++) {
            int count = routing.count(r);
            assertThat(count).isBetween(kMin, Math.min(kMax, experts));
            assertDistinctAndRanked(routing, r, s, f.bias, experts);
            double total = 0;
            for (int e = 0; e < experts; e++) {
                total += s[r * experts + e];
            }
            double massBeforeLast = 0;
            for (int j = 0; j < count - 1; j++) {
                massBeforeLast += s[r * experts + routing.expert(r, j)];
            }
            if (count > kMin) { // not padded up to kMin: the prefix without the last one fell short
                assertThat(massBeforeLast / total).isLessThan(topP + 1e-9);
            }
            double weightSum = 0;
            for (int j = 0; j < count; j++) {
                weightSum += routing.weight(r, j);
            }
            assertThat(weightSum).isCloseTo(1.0, within(1e-6));
        }
    }

    private static void assertDistinctAndRanked(Routing routing, int row, float[] s, float[] bias, int experts) {
        int[] chosen = routing.experts(row);
        assertThat(chosen).doesNotHaveDuplicates();
        for (int j = 1; j < chosen.length; j++) {
            double previous = (double) s[row * experts + chosen[j - 1]] + bias[chosen[j - 1]];
            double current = (double) s[row * experts + chosen[j]] + bias[chosen[j]];
            assertThat(previous).isGreaterThanOrEqualTo(current - 1e-6);
        }
    }

    /** Random gate weights, bias and input rows. */
    private static final class Fixture {
        final float[] weights;
        final float[] bias;
        final float[] u;
        final int rows;

        Fixture(long seed, int experts, int d, int rows) {
            Random random = new Random(seed);
            this.rows = rows;
            weights = new float[experts * d];
            bias = new float[experts];
            u = new float[rows * d];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (random.nextGaussian() * 0.3);
            }
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) random.nextGaussian();
            }
        }
    }
}
