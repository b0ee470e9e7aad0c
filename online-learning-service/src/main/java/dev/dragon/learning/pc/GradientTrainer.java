package dev.dragon.learning.pc;

/**
 * The baseline: the same PC layer trained by plain gradient descent on the mean NLL, with the gradient
 * backpropagated through the layer:
 * <pre>
 *   a  = tanh(W1·x)                    [n,P]
 *   mu = x + W2·a                      [n,d]
 *   g  = dL/dmu                        [n,d]   from lm_head.onnx (or β·(mu − x) on replayed base rows)
 *   δ2 = −g                            [n,d]
 *   δ1 = (δ2·W2) ⊙ (1 − a²)            [n,P]   the chain rule through tanh
 * </pre>
 * which makes {@link AdapterTrainer}'s update exactly {@code W ← W − α·∇(mean L)} (plus the same anchor and
 * clipping), so the two methods differ only in how the errors are found.
 */
public final class GradientTrainer extends AdapterTrainer {

    public static final String METHOD = "gradient-descent";

    public GradientTrainer(TrainerSettings settings, OutputLoss loss) {
        super(settings, loss);
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    protected void errors(PcLayer layer, Rows batch, float[] delta1, float[] delta2, float[] activity) {
        int n = batch.n();
        int p = layer.weights().p();
        int d = layer.weights().d();
        layer.hidden(batch.x(), n, activity);
        Linear.tanh(activity, activity, n * p);
        float[] mu = new float[n * d];
        layer.output(batch.x(), activity, n, mu);
        float[] nll = new float[n];
        loss.evaluate(batch, mu, nll, delta2);
        Linear.clipRows(delta2, n, d, settings.errorClip());
        for (int i = 0; i < n * d; i++) {
            delta2[i] = -delta2[i];
        }
        layer.backToHidden(delta2, n, delta1);
        for (int i = 0; i < n * p; i++) {
            delta1[i] *= 1 - activity[i] * activity[i];
        }
    }
}
