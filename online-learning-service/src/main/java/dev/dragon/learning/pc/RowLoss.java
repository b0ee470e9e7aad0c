package dev.dragon.learning.pc;

/**
 * The output loss of a training batch, row by row:
 * <pre>
 *   target ≥ 0:          L = NLL(mu, target)               dL/dmu from the LM head (lm_head.onnx)
 *   target = KEEP_BASE:  L = β/2 · ‖mu − x‖²               dL/dmu = β · (mu − x)
 * </pre>
 * The second kind replays the base distribution without the LM head: on base inputs the layer should keep the
 * base model's output ({@code mu = x}, version 0). For text sampled from the base model the expected NLL gradient
 * there is zero, so the NLL rise is second order in {@code mu − x}; pulling {@code ‖mu − x‖} down bounds it, at the
 * cost of two small matrix products instead of a pass over the vocabulary.
 */
final class RowLoss {

    private final OutputLoss head;
    private final float baseWeight;

    RowLoss(OutputLoss head, double baseWeight) {
        this.head = head;
        this.baseWeight = (float) baseWeight;
    }

    /** Fills {@code nll [n]} and {@code grad [n,d]} for {@code mu [n,d]} of {@code batch}. */
    void evaluate(Rows batch, float[] mu, float[] nll, float[] grad) {
        int n = batch.n();
        int d = batch.d();
        int[] targets = batch.targets();
        int tokens = 0;
        for (int t : targets) {
            if (t >= 0) {
                tokens++;
            }
        }
        if (tokens > 0) {
            int[] idx = new int[tokens];
            float[] sub = new float[tokens * d];                  // mu of the token rows [tokens, d]
            int[] subTargets = new int[tokens];
            for (int r = 0, k = 0; r < n; r++) {
                if (targets[r] >= 0) {
                    idx[k] = r;
                    subTargets[k] = targets[r];
                    System.arraycopy(mu, r * d, sub, k * d, d);
                    k++;
                }
            }
            float[] subNll = new float[tokens];
            float[] subGrad = new float[tokens * d];
            head.evaluate(sub, subTargets, tokens, subNll, subGrad);
            for (int k = 0; k < tokens; k++) {
                nll[idx[k]] = subNll[k];
                System.arraycopy(subGrad, k * d, grad, idx[k] * d, d);
            }
        }
        float[] x = batch.x();
        for (int r = 0; r < n; r++) {
            if (targets[r] >= 0) {
                continue;
            }
            double sq = 0;
            for (int c = r * d; c < (r + 1) * d; c++) {
                float diff = mu[c] - x[c];
                grad[c] = baseWeight * diff;
                sq += diff * diff;
            }
            nll[r] = (float) (0.5 * baseWeight * sq);
        }
    }
}
