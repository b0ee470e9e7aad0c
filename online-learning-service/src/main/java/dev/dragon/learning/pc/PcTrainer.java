package dev.dragon.learning.pc;

/**
 * Predictive coding of the PC layer: no backpropagation, only prediction errors and local Hebbian updates.
 *
 * <p>The layer is a two-stage generative chain with value nodes {@code x} (clamped to the model's final-norm
 * output), {@code v1 [n,P]} (hidden pre-activations) and {@code v2 [n,d]} (the head's input μ), and energy
 * <pre>
 *   ε1 = v1 − W1·x                         [n,P]   prediction error at the hidden nodes
 *   ε2 = v2 − (x + W2·tanh(v1))            [n,d]   prediction error at the output nodes
 *   F  = ½‖ε1‖² + ½‖ε2‖² + L(v2)                     the target clamps the output: L = NLL through the LM
 *                                                   head, or β/2‖v2 − x‖² on replayed base rows ({@link RowLoss})
 * </pre>
 * Inference starts at the feedforward pass (v1 = W1·x, v2 = x + W2·tanh(v1), so ε = 0 and F = NLL) and relaxes the
 * latent activities down the energy for K steps of size γ, with the output error {@code g = dL/dv2 [n,d]} (from
 * {@code lm_head.onnx} for token targets):
 * <pre>
 *   v1 ← v1 − γ·(ε1 − tanh'(v1) ⊙ (ε2·W2))     (ε2·W2: [n,d]·[d,P] = [n,P])
 *   v2 ← v2 − γ·(ε2 + g)
 * </pre>
 * At the relaxed state the errors carry the credit the target assigns to each layer (ε2 → −g, ε1 →
 * tanh'·(W2ᵀ·ε2)), and each weight moves by its own error times its own input activity:
 * <pre>
 *   ΔW1 = α/n · ε1ᵀ·x          [P,d]
 *   ΔW2 = α/n · ε2ᵀ·tanh(v1)   [d,P]
 * </pre>
 * then anchoring and clipping as in {@link AdapterTrainer}. Every error row is clipped to
 * {@link TrainerSettings#errorClip()} (the output error during inference too), so one outlier example cannot
 * dominate an update.
 */
public final class PcTrainer extends AdapterTrainer {

    public static final String METHOD = "predictive-coding";

    public PcTrainer(TrainerSettings settings, OutputLoss loss) {
        super(settings, loss);
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** The relaxed latent state of one mini-batch and the energy after each step (index 0 = before relaxing). */
    public record Inference(float[] v1, float[] v2, float[] e1, float[] e2, float[] activity, double[] energy) {
    }

    @Override
    protected void errors(PcLayer layer, Rows batch, float[] delta1, float[] delta2, float[] activity) {
        Inference state = relax(layer, batch, settings.inferenceSteps(), false);
        System.arraycopy(state.e1(), 0, delta1, 0, delta1.length);
        System.arraycopy(state.e2(), 0, delta2, 0, delta2.length);
        System.arraycopy(state.activity(), 0, activity, 0, activity.length);
    }

    /** Runs {@code steps} relaxation steps on {@code batch} under {@code layer}, recording the energy of every state. */
    public Inference infer(PcLayer layer, Rows batch, int steps) {
        return relax(layer, batch, steps, true);
    }

    /**
     * The relaxation. Training needs no energy of the final state (only its errors ε1, ε2, which need no LM head),
     * so without {@code finalEnergy} the head runs {@code steps} times instead of {@code steps + 1} and
     * {@code energy[steps]} is NaN.
     */
    private Inference relax(PcLayer layer, Rows batch, int steps, boolean finalEnergy) {
        int n = batch.n();
        int p = layer.weights().p();
        int d = layer.weights().d();
        float[] x = batch.x();
        float gamma = (float) settings.inferenceRate();

        float[] z = new float[n * p];                 // W1·x, fixed while x is clamped       [n,P]
        layer.hidden(x, n, z);
        float[] v1 = z.clone();                       // hidden value nodes                   [n,P]
        float[] a = new float[n * p];                 // tanh(v1)                             [n,P]
        Linear.tanh(v1, a, n * p);
        float[] v2 = new float[n * d];                // output value nodes                   [n,d]
        layer.output(x, a, n, v2);

        float[] e1 = new float[n * p];
        float[] e2 = new float[n * d];
        float[] pred2 = new float[n * d];
        float[] g = new float[n * d];
        float[] nll = new float[n];
        float[] back = new float[n * p];
        double[] energy = new double[steps + 1];
        for (int step = 0; ; step++) {
            Linear.tanh(v1, a, n * p);
            layer.output(x, a, n, pred2);
            for (int i = 0; i < n * p; i++) {
                e1[i] = v1[i] - z[i];
            }
            for (int i = 0; i < n * d; i++) {
                e2[i] = v2[i] - pred2[i];
            }
            if (step == steps && !finalEnergy) {
                energy[step] = Double.NaN;
                return new Inference(v1, v2, e1, e2, a, energy);
            }
            loss.evaluate(batch, v2, nll, g);
            energy[step] = 0.5 * Linear.sumSquares(e1) + 0.5 * Linear.sumSquares(e2) + sum(nll);
            if (step == steps) {
                return new Inference(v1, v2, e1, e2, a, energy);
            }
            Linear.clipRows(g, n, d, settings.errorClip());
            layer.backToHidden(e2, n, back);                              // ε2·W2   [n,P]
            for (int i = 0; i < n * p; i++) {
                v1[i] -= gamma * (e1[i] - (1 - a[i] * a[i]) * back[i]);
            }
            for (int i = 0; i < n * d; i++) {
                v2[i] -= gamma * (e2[i] + g[i]);
            }
        }
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
