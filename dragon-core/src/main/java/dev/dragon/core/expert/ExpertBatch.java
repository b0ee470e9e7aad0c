package dev.dragon.core.expert;

/**
 * The routed rows of one layer, grouped by expert: the rows for {@code experts[i]} are
 * {@code input[offsets[i] .. offsets[i+1])} (in units of rows of width {@code dModel}).
 *
 * @param layer   layer index
 * @param dModel  row width d
 * @param experts expert ids, each at most once
 * @param offsets row offsets, {@code experts.length + 1} entries, {@code offsets[0] = 0}
 * @param input   {@code [offsets[experts.length], d]} row-major
 */
public record ExpertBatch(int layer, int dModel, int[] experts, int[] offsets, float[] input) {

    public ExpertBatch {
        if (offsets.length != experts.length + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("offsets must have one entry per expert plus one, starting at 0");
        }
        for (int i = 0; i < experts.length; i++) {
            if (offsets[i + 1] < offsets[i]) {
                throw new IllegalArgumentException("offsets must be non-decreasing");
            }
        }
        if (input.length < offsets[experts.length] * dModel) {
            throw new IllegalArgumentException("input holds fewer rows than the offsets say");
        }
    }

    public int totalRows() {
        return offsets[experts.length];
    }

    public int rows(int i) {
        return offsets[i + 1] - offsets[i];
    }
}
