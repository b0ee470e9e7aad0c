package dev.dragon.core.expert;

import java.util.Map;

/**
 * Outputs for an {@link ExpertBatch}, in the batch's row layout. Rows of experts that could not be
 * computed are zero and listed in {@code failures} (expert id → why), so the caller fails only the
 * sequences that needed them.
 *
 * @param output   {@code [totalRows, d]}
 * @param failures expert id → reason, empty when every expert answered
 */
public record ExpertResult(float[] output, Map<Integer, String> failures) {

    public ExpertResult {
        failures = Map.copyOf(failures);
    }

    public static ExpertResult complete(float[] output) {
        return new ExpertResult(output, Map.of());
    }

    public boolean complete() {
        return failures.isEmpty();
    }
}
