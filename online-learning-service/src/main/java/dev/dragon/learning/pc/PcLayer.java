package dev.dragon.learning.pc;

/**
 * The PC layer's feedforward pass, {@code mu = x + W2·tanh(W1·x)}, for a batch of rows. Caches the transposed
 * weights so every product is a contiguous row-wise kernel.
 */
public final class PcLayer {

    private final PcWeights weights;
    private final float[] w1t;   // W1ᵀ [d,P]
    private final float[] w2t;   // W2ᵀ [P,d]

    public PcLayer(PcWeights weights) {
        this.weights = weights;
        this.w1t = Linear.transpose(weights.w1(), weights.p(), weights.d());
        this.w2t = Linear.transpose(weights.w2(), weights.d(), weights.p());
    }

    public PcWeights weights() {
        return weights;
    }

    /** {@code z [n,P] = x [n,d] · W1ᵀ}: the feedforward prediction of the hidden pre-activations. */
    public void hidden(float[] x, int n, float[] z) {
        Linear.matmul(x, n, weights.d(), w1t, weights.p(), z);
    }

    /** {@code out [n,d] = x [n,d] + a [n,P] · W2ᵀ}: the prediction of the output from the hidden activity. */
    public void output(float[] x, float[] a, int n, float[] out) {
        int d = weights.d();
        Linear.matmul(a, n, weights.p(), w2t, d, out);
        for (int i = 0; i < n * d; i++) {
            out[i] += x[i];
        }
    }

    /** {@code out [n,P] = e [n,d] · W2}: an output-side error carried back to the hidden units. */
    public void backToHidden(float[] e, int n, float[] out) {
        Linear.matmul(e, n, weights.d(), weights.w2(), weights.p(), out);
    }

    /** {@code mu [n,d]} for {@code x [n,d]}. */
    public float[] forward(float[] x, int n) {
        int p = weights.p();
        float[] z = new float[n * p];
        hidden(x, n, z);
        Linear.tanh(z, z, n * p);
        float[] mu = new float[n * weights.d()];
        output(x, z, n, mu);
        return mu;
    }
}
