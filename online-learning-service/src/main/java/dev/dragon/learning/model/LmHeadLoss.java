package dev.dragon.learning.model;

import dev.dragon.learning.pc.OutputLoss;

/** {@link OutputLoss} by the bundle's {@code lm_head.onnx}: {@code mu [N,d], targets [N] → nll [N], grad_mu [N,d]}. */
public final class LmHeadLoss implements OutputLoss {

    private final ModelHost host;
    private final int d;

    public LmHeadLoss(ModelHost host) {
        this.host = host;
        this.d = host.architecture().dModel();
    }

    @Override
    public void evaluate(float[] mu, int[] targets, int n, float[] nll, float[] grad) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = targets[i];
        }
        try (var out = host.lmHead().call()
                .floats("mu", mu, 0, n * d, n, d)
                .longs("targets", ids, n)
                .run()) {
            out.copy("nll", nll, 0);
            if (grad != null) {
                out.copy("grad_mu", grad, 0);
            }
        }
    }
}
