package dev.dragon.core.gating;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link Routing} regrouped by expert: for each expert, the rows routed to it (ascending) and the
 * weight of each. This is what dispatch needs: gather the rows, run the expert once, scatter-add
 * {@code weight * output} back.
 */
public final class ExpertAssignments {

    private final int[][] rows;      // [experts][assigned rows]
    private final float[][] weights; // [experts][assigned rows]

    private ExpertAssignments(int[][] rows, float[][] weights) {
        this.rows = rows;
        this.weights = weights;
    }

    static ExpertAssignments of(Routing routing, int expertCount) {
        int[] counts = new int[expertCount];
        for (int i = 0; i < routing.totalAssignments(); i++) {
            counts[Objects.checkIndex(routing.flatExpert(i), expertCount)]++;
        }
        int[][] rows = new int[expertCount][];
        float[][] weights = new float[expertCount][];
        for (int e = 0; e < expertCount; e++) {
            rows[e] = new int[counts[e]];
            weights[e] = new float[counts[e]];
        }
        int[] fill = new int[expertCount];
        for (int r = 0; r < routing.rows(); r++) {
            for (int i = routing.offset(r); i < routing.offset(r + 1); i++) {
                int e = routing.flatExpert(i);
                rows[e][fill[e]] = r;
                weights[e][fill[e]++] = routing.flatWeight(i);
            }
        }
        return new ExpertAssignments(rows, weights);
    }

    public int experts() {
        return rows.length;
    }

    /** Number of rows routed to {@code expert}. */
    public int count(int expert) {
        return rows[expert].length;
    }

    /** A copy of the rows routed to {@code expert}, ascending. */
    public int[] rows(int expert) {
        return rows[expert].clone();
    }

    /** A copy of the weights of those rows, in the same order. */
    public float[] weights(int expert) {
        return weights[expert].clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ExpertAssignments[");
        for (int e = 0; e < rows.length; e++) {
            sb.append(e == 0 ? "" : ", ").append(e).append('=').append(Arrays.toString(rows[e]));
        }
        return sb.append(']').toString();
    }
}
