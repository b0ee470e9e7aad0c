package dev.dragon.core.gating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dragon.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class GateTest {

    // d = 2, E = 4; with u = [1, 0] the logits are 2, 1, 0, -1
    static final float[] WEIGHTS = {2f, 0.5f, 1f, -3f, 0f, 1f, -1f, 2f};
    static final float[] U = {1f, 0f};
    static final double S0 = sigmoid(2);
    static final double S1 = sigmoid(1);
    static final double S2 = 0.5;
    static final double S3 = sigmoid(-1);

    @Test
    void selectsTopKBySigmoidAffinityAndNormalisesWeights() {
        Gate gate = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(2));
        Routing routing = gate.route(U, 0, 1);
        assertThat(routing.rows()).isEqualTo(1);
        assertThat(routing.experts(0)).containsExactly(0, 1);
        assertThat(routing.weight(0, 0)).isCloseTo((float) (S0 / (S0 + S1)), within(1e-7f));
        assertThat(routing.weight(0, 1)).isCloseTo((float) (S1 / (S0 + S1)), within(1e-7f));
    }

    @Test
    void biasChangesSelectionButNotWeights() {
        Gate gate = new Gate(WEIGHTS, new float[] {0f, 0f, 0f, 0.7f}, 4, 2, GatingPolicy.topK(2));
        Routing routing = gate.route(U, 0, 1);
        // keys: 0.881, 0.731, 0.5, 0.269 + 0.7 = 0.969 -> expert 3 first
        assertThat(routing.experts(0)).containsExactly(3, 0);
        assertThat(routing.weight(0, 0)).isCloseTo((float) (S3 / (S3 + S0)), within(1e-7f));
        assertThat(routing.weight(0, 1)).isCloseTo((float) (S0 / (S3 + S0)), within(1e-7f));
    }

    @Test
    void tiesGoToTheLowerExpertIndex() {
        float[] same = {1f, 1f, 1f, 1f, 1f, 1f};
        Gate gate = new Gate(same, new float[3], 3, 2, GatingPolicy.topK(2));
        assertThat(gate.route(new float[] {0.3f, -0.1f}, 0, 1).experts(0)).containsExactly(0, 1);
        Gate biased = new Gate(same, new float[] {0f, 0.5f, 0.5f}, 3, 2, GatingPolicy.topK(2));
        assertThat(biased.route(new float[] {0.3f, -0.1f}, 0, 1).experts(0)).containsExactly(1, 2);
        Gate adaptive = new Gate(same, new float[3], 3, 2, GatingPolicy.adaptive(1.0, 1, 3));
        assertThat(adaptive.route(new float[] {0.3f, -0.1f}, 0, 1).experts(0)).containsExactly(0, 1, 2);
    }

    @Test
    void routesRowsFromAnOffsetIntoALargerArray() {
        Gate gate = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(1));
        float[] block = {9f, 9f, 9f, 1f, 0f, 0f, 1f, -1f, 0f};
        Routing routing = gate.route(block, 3, 3); // rows [1,0], [0,1], [-1,0]
        assertThat(routing.rows()).isEqualTo(3);
        assertThat(routing.expert(0, 0)).isEqualTo(0); // logits 2, 1, 0, -1
        assertThat(routing.expert(1, 0)).isEqualTo(3); // logits .5, -3, 1, 2
        assertThat(routing.expert(2, 0)).isEqualTo(3); // logits -2, -1, 0, 1
        assertThat(routing.weights(1)).containsExactly(1f);
        assertThatThrownBy(() -> gate.route(block, 4, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void adaptiveTakesTheSmallestPrefixReachingTopPWithinBounds() {
        // ranked affinities .881, .731, .5, .269 (total 2.381)
        assertThat(adaptive(0.5, 1, 4)).containsExactly(0, 1);       // .881 < 1.19 <= 1.612
        assertThat(adaptive(0.3, 1, 4)).containsExactly(0);          // .881 >= .714
        assertThat(adaptive(0.3, 2, 4)).containsExactly(0, 1);       // kMin wins
        assertThat(adaptive(1.0, 1, 3)).containsExactly(0, 1, 2);    // kMax wins
        assertThat(adaptive(1.0, 1, 4)).containsExactly(0, 1, 2, 3);
        assertThat(adaptive(0.9, 1, 8)).containsExactly(0, 1, 2, 3); // kMax beyond E is clamped
    }

    @Test
    void adaptiveWeightsAreNormalisedOverTheSelected() {
        Gate gate = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.adaptive(0.7, 1, 4));
        Routing routing = gate.route(U, 0, 1);
        assertThat(routing.experts(0)).containsExactly(0, 1, 2); // 1.612 < 1.667 <= 2.112
        double sum = S0 + S1 + S2;
        assertThat(routing.weights(0)).containsExactly((float) (S0 / sum), (float) (S1 / sum), (float) (S2 / sum));
    }

    @Test
    void affinitiesAreSigmoidOfTheDotProduct() {
        Gate gate = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(2));
        float[] out = new float[5];
        gate.affinities(U, 0, 1, out, 1);
        assertThat(out).containsExactly(0f, (float) S0, (float) S1, 0.5f, (float) S3);
    }

    @Test
    void byExpertGroupsRowsForDispatch() {
        Gate gate = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(2));
        Routing routing = gate.route(new float[] {1f, 0f, 0f, 1f, 1f, 0f}, 0, 3);
        ExpertAssignments byExpert = routing.byExpert(4);
        assertThat(byExpert.rows(0)).containsExactly(0, 2);
        assertThat(byExpert.rows(1)).containsExactly(0, 2);
        assertThat(byExpert.rows(3)).containsExactly(1);
        assertThat(byExpert.rows(2)).containsExactly(1);
        assertThat(byExpert.weights(0)).containsExactly(routing.weight(0, 0), routing.weight(2, 0));
        assertThat(byExpert.count(3) + byExpert.count(2) + byExpert.count(1) + byExpert.count(0)).isEqualTo(6);
    }

    @Test
    void buildsFromAWeightTensor() {
        Gate gate = Gate.of(new FloatTensor(new int[] {4, 2}, WEIGHTS), new float[4], GatingPolicy.topK(2));
        assertThat(gate.experts()).isEqualTo(4);
        assertThat(gate.dModel()).isEqualTo(2);
        assertThat(gate.withPolicy(GatingPolicy.topK(1)).route(U, 0, 1).experts(0)).containsExactly(0);
        assertThatThrownBy(() -> Gate.of(new FloatTensor(new int[] {8}, WEIGHTS), new float[4], GatingPolicy.topK(2)))
                .hasMessageContaining("2-D");
    }

    @Test
    void rejectsInconsistentShapesAndPolicies() {
        assertThatThrownBy(() -> new Gate(new float[7], new float[4], 4, 2, GatingPolicy.topK(2)))
                .hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> new Gate(WEIGHTS, new float[3], 4, 2, GatingPolicy.topK(2)))
                .hasMessageContaining("bias must have 4");
        assertThatThrownBy(() -> new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(5)))
                .hasMessageContaining("topK 5 exceeds");
        assertThatThrownBy(() -> new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.adaptive(0.5, 5, 6)))
                .hasMessageContaining("kMin 5 exceeds");
        assertThatThrownBy(() -> GatingPolicy.adaptive(0, 1, 2)).hasMessageContaining("topP");
        assertThatThrownBy(() -> GatingPolicy.adaptive(0.5, 3, 2)).hasMessageContaining("kMin <= kMax");
        assertThatThrownBy(() -> GatingPolicy.topK(0)).hasMessageContaining("topK must be >= 1");
        assertThatThrownBy(() -> new GatingPolicy(GatingMode.TOP_K, 2, 0.5, 2, 2)).hasMessageContaining("top-k mode");
    }

    @Test
    void emptyBatchRoutesNothing() {
        Routing routing = new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.topK(2)).route(new float[0], 0, 0);
        assertThat(routing.rows()).isZero();
        assertThat(routing.averageExpertsPerRow()).isZero();
    }

    private static int[] adaptive(double topP, int kMin, int kMax) {
        return new Gate(WEIGHTS, new float[4], 4, 2, GatingPolicy.adaptive(topP, kMin, kMax)).route(U, 0, 1).experts(0);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
