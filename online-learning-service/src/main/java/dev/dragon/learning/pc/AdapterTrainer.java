package dev.dragon.learning.pc;

import java.util.SplittableRandom;

/**
 * Trains the PC layer on rows in shuffled mini-batches. Every mini-batch yields an error at the hidden units
 * {@code δ1 [n,P]} and at the output {@code δ2 [n,d]} (each method computes them its own way), and then the
 * same local update is applied:
 * <pre>
 *   ΔW1 = α/n · δ1ᵀ·x        [P,d]   (error × presynaptic activity)
 *   ΔW2 = α/n · δ2ᵀ·a        [d,P]   (a = the hidden activity tanh(·) [n,P])
 *   ΔW  = ΔW − α·λ·(W − W_anchor)    anchor towards the last promoted version (L2-SP, an EWC with unit Fisher)
 *   ΔW  = ΔW · min(1, c / ‖ΔW‖_F)     update clipping, per matrix
 *   W  += ΔW
 * </pre>
 */
public abstract class AdapterTrainer {

    protected final TrainerSettings settings;
    protected final RowLoss loss;

    protected AdapterTrainer(TrainerSettings settings, OutputLoss head) {
        this.settings = settings;
        this.loss = new RowLoss(head, settings.baseWeight());
    }

    /** Name recorded with the versions it produces. */
    public abstract String method();

    /**
     * Errors of one mini-batch under {@code layer}: fills {@code delta1 [n,P]}, {@code delta2 [n,d]} and the hidden
     * activity {@code activity [n,P]} the output weights connect from.
     */
    protected abstract void errors(PcLayer layer, Rows batch, float[] delta1, float[] delta2, float[] activity);

    /** Weights after {@link TrainerSettings#epochs()} passes over {@code rows}, starting from {@code start}. */
    public PcWeights train(PcWeights start, PcWeights anchor, Rows rows) {
        PcWeights w = start.copy();
        if (rows.isEmpty()) {
            return w;
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        int[] order = new int[rows.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            shuffle(order, random);
            for (int from = 0; from < order.length; from += settings.batchRows()) {
                Rows batch = rows.select(order, from, Math.min(order.length, from + settings.batchRows()));
                step(w, anchor, batch);
            }
        }
        return w;
    }

    /** One mini-batch update of {@code w} in place. */
    void step(PcWeights w, PcWeights anchor, Rows batch) {
        int n = batch.n();
        int p = w.p();
        int d = w.d();
        float[] delta1 = new float[n * p];
        float[] delta2 = new float[n * d];
        float[] activity = new float[n * p];
        errors(new PcLayer(w), batch, delta1, delta2, activity);
        Linear.clipRows(delta1, n, p, settings.errorClip());
        Linear.clipRows(delta2, n, d, settings.errorClip());
        float alpha = (float) settings.learningRate();
        float[] dw1 = new float[p * d];
        float[] dw2 = new float[d * p];
        Linear.addOuter(dw1, p, d, delta1, batch.x(), n, alpha / n);      // α/n · δ1ᵀ x
        Linear.addOuter(dw2, d, p, delta2, activity, n, alpha / n);       // α/n · δ2ᵀ a
        apply(w.w1(), dw1, anchor.w1());
        apply(w.w2(), dw2, anchor.w2());
    }

    private void apply(float[] w, float[] dw, float[] anchor) {
        float pull = (float) (settings.learningRate() * settings.anchor());
        for (int i = 0; i < w.length; i++) {
            dw[i] -= pull * (w[i] - anchor[i]);
        }
        Linear.clipNorm(dw, settings.updateClip());
        for (int i = 0; i < w.length; i++) {
            w[i] += dw[i];
        }
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
