package dev.dragon.core.gating;

import java.util.Arrays;
import java.util.Objects;

/**
 * Gate output for a batch of rows: per row, the selected experts in descending {@code s + bias}
 * order and their weights (selected affinities normalised to sum 1). Stored flat: row {@code r}'s
 * entries are {@code [offset(r), offset(r + 1))}.
 */
public final class Routing {

    private final int[] offsets; // [rows + 1]
    private final int[] experts; // [total]
    private final float[] weights; // [total]

    Routing(int[] offsets, int[] experts, float[] weights) {
        this.offsets = offsets;
        this.experts = experts;
        this.weights = weights;
    }

    public int rows() {
        return offsets.length - 1;
    }

    /** Number of experts selected for {@code row}. */
    public int count(int row) {
        Objects.checkIndex(row, rows());
        return offsets[row + 1] - offsets[row];
    }

    /** The {@code j}-th selected expert of {@code row} ({@code j = 0} has the largest {@code s + bias}). */
    public int expert(int row, int j) {
        return experts[index(row, j)];
    }

    public float weight(int row, int j) {
        return weights[index(row, j)];
    }

    /** A copy of {@code row}'s selected experts. */
    public int[] experts(int row) {
        Objects.checkIndex(row, rows());
        return Arrays.copyOfRange(experts, offsets[row], offsets[row + 1]);
    }

    /** A copy of {@code row}'s weights. */
    public float[] weights(int row) {
        Objects.checkIndex(row, rows());
        return Arrays.copyOfRange(weights, offsets[row], offsets[row + 1]);
    }

    /** Total (row, expert) assignments over all rows. */
    public int totalAssignments() {
        return experts.length;
    }

    /** Mean number of experts per row (0 for no rows). */
    public double averageExpertsPerRow() {
        return rows() == 0 ? 0 : (double) experts.length / rows();
    }

    /** Regroups the assignments by expert, as dispatch needs them. */
    public ExpertAssignments byExpert(int expertCount) {
        return ExpertAssignments.of(this, expertCount);
    }

    int offset(int row) {
        return offsets[row];
    }

    int flatExpert(int i) {
        return experts[i];
    }

    float flatWeight(int i) {
        return weights[i];
    }

    private int index(int row, int j) {
        Objects.checkIndex(j, count(row));
        return offsets[row] + j;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Routing[");
        for (int r = 0; r < rows(); r++) {
            sb.append(r == 0 ? "" : ", ").append(Arrays.toString(experts(r))).append('@').append(Arrays.toString(weights(r)));
        }
        return sb.append(']').toString();
    }
}
