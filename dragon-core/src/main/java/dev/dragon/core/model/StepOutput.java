package dev.dragon.core.model;

import java.util.BitSet;
import java.util.Map;

/**
 * Result of a {@link ForwardPass} step.
 *
 * @param hidden      final hidden states before the final norm: {@code [B, d]} (each row's last
 *                    position) or {@code [B*T, d]} with {@code allPositions}
 * @param rows        rows in {@code hidden}
 * @param experts     {@code [B][layers][k]} routed experts at each row's last position
 * @param failedRows  batch rows that needed an expert that could not be computed
 * @param failures    expert failures of this step: "layer L expert E" → reason
 */
public record StepOutput(float[] hidden, int rows, int[][][] experts, BitSet failedRows, Map<String, String> failures) {

    public boolean failed(int row) {
        return failedRows.get(row);
    }
}
