package dev.dragon.router.dispatch;

import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.expert.LocalExpertBackend;
import java.util.SplittableRandom;

/** Expert batches for dispatch tests, and what the in-process reference computes for them. */
final class Batches {

    private Batches() {
    }

    /** Layer {@code layer}, expert {@code experts[i]} with {@code rows[i]} random rows in [-2, 2). */
    static ExpertBatch random(long seed, int layer, int[] experts, int[] rows) {
        int d = ShippedExperts.dModel();
        int[] offsets = new int[experts.length + 1];
        for (int i = 0; i < experts.length; i++) {
            offsets[i + 1] = offsets[i] + rows[i];
        }
        float[] input = new float[offsets[experts.length] * d];                 // [Σ rows, d]
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return new ExpertBatch(layer, d, experts, offsets, input);
    }

    /** Every routed expert of {@code layer}, 1 + 3·e rows for expert e. */
    static ExpertBatch allExperts(long seed, int layer) {
        int e = ShippedExperts.bundle().architecture().routedExperts();
        int[] experts = new int[e];
        int[] rows = new int[e];
        for (int i = 0; i < e; i++) {
            experts[i] = i;
            rows[i] = 1 + 3 * i;
        }
        return random(seed, layer, experts, rows);
    }

    /** The partition group {@code group}'s experts of {@code layer}, 4 rows each. */
    static ExpertBatch groupExperts(long seed, String group, int layer) {
        int[] experts = ShippedExperts.bundle().manifest().partition().groups().stream()
                .filter(g -> g.name().equals(group)).findFirst().orElseThrow()
                .experts().get(layer).stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] rows = new int[experts.length];
        java.util.Arrays.fill(rows, 4);
        return random(seed, layer, experts, rows);
    }

    /** What every expert computed in this process gives. */
    static ExpertResult reference(ExpertBatch batch) {
        return new LocalExpertBackend(ShippedExperts.experts()).submit(batch).join();
    }

    /** The output rows of {@code batch.experts()[i]}. */
    static float[] rowsOf(ExpertBatch batch, float[] output, int i) {
        int d = batch.dModel();
        return java.util.Arrays.copyOfRange(output, batch.offsets()[i] * d, batch.offsets()[i + 1] * d);
    }
}
