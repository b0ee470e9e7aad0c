package dev.dragon.core.model;

import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import dev.dragon.core.gating.ExpertAssignments;
import dev.dragon.core.gating.Routing;
import java.util.Arrays;
import java.util.stream.IntStream;

/** The rows of one layer packed by expert, and how to fold the expert outputs back in. */
record RoutedRows(ExpertBatch batch, int[] sourceRow, float[] weight) {

    static RoutedRows of(int layer, Routing routing, float[] u, int d, int expertCount) {
        ExpertAssignments byExpert = routing.byExpert(expertCount);
        int used = 0;
        int total = 0;
        for (int e = 0; e < expertCount; e++) {
            if (byExpert.count(e) > 0) {
                used++;
                total += byExpert.count(e);
            }
        }
        int[] experts = new int[used];
        int[] offsets = new int[used + 1];
        int[] sourceRow = new int[total];
        float[] weight = new float[total];
        float[] input = new float[total * d];                           // [Σ rows, d]
        int i = 0;
        int row = 0;
        for (int e = 0; e < expertCount; e++) {
            int count = byExpert.count(e);
            if (count == 0) {
                continue;
            }
            experts[i] = e;
            int[] rows = byExpert.rows(e);
            float[] ws = byExpert.weights(e);
            for (int j = 0; j < count; j++, row++) {
                sourceRow[row] = rows[j];
                weight[row] = ws[j];
                System.arraycopy(u, rows[j] * d, input, row * d, d);
            }
            offsets[++i] = row;
        }
        return new RoutedRows(new ExpertBatch(layer, d, experts, offsets, input), sourceRow, weight);
    }

    /** h[row] += g · E(u[row]) for every routed (row, expert). */
    void combineInto(float[] h, ExpertResult result) {
        int d = batch.dModel();
        float[] y = result.output();
        for (int r = 0; r < sourceRow.length; r++) {
            int dst = sourceRow[r] * d;
            int src = r * d;
            float g = weight[r];
            for (int k = 0; k < d; k++) {
                h[dst + k] += g * y[src + k];
            }
        }
    }

    IntStream rowsOf(int expert) {
        for (int i = 0; i < batch.experts().length; i++) {
            if (batch.experts()[i] == expert) {
                return Arrays.stream(sourceRow, batch.offsets()[i], batch.offsets()[i + 1]);
            }
        }
        return IntStream.empty();
    }
}
