package dev.dragon.learning.pc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dragon.learning.testing.HeadScoring;
import dev.dragon.learning.testing.ShippedBundle;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PC layer's math against the shipped bundle's real LM head ({@code lm_head.onnx} in ONNX Runtime). */
class PcMathTest {

    private static final TrainerSettings SETTINGS = new TrainerSettings(1, 64, 0.05, 20, 0.05, 50, 1.0, 0.0, 1.0, 7);

    private static Rows rows;
    private static PcWeights base;
    private static OutputLoss loss;

    @BeforeAll
    static void load() {
        var host = ShippedBundle.host();
        var tokenizer = host.tokenizer();
        int[] a = tokenizer.chatTemplate().completionPrompt("The package manager installs the requested files.");
        int[] b = tokenizer.chatTemplate().completionPrompt("Zorblax quantum muffins sing in the Vorplex basement.");
        rows = Rows.concat(host.architecture().dModel(), List.of(ShippedBundle.features().rows(a, 1),
                ShippedBundle.features().rows(b, 1)));
        base = host.baseWeights();
        loss = ShippedBundle.loss();
    }

    @Test
    void layerIsTheIdentity_whenW2IsZero() {
        assertThat(base.w2()).containsOnly(0f);
        assertThat(Linear.sumSquares(base.w1())).isGreaterThan(0);

        float[] mu = new PcLayer(base).forward(rows.x(), rows.n());

        assertThat(mu).containsExactly(rows.x());
    }

    @Test
    void javaLayerAndHeadOnnx_agreeOnPerplexity() {
        PcWeights w = randomW2(base, 0.05, 11);
        double viaJava = Perplexity.meanNll(w, rows, loss);

        // head.onnx applies the same PC layer from the raw hidden states; score its logits independently
        var host = ShippedBundle.host();
        var adapter = dev.dragon.core.adapter.PcAdapter.of("t", "", w.p(), w.d(), w.w1(), w.w2());
        var tokenizer = host.tokenizer();
        int[] ids = tokenizer.chatTemplate().completionPrompt("The package manager installs the requested files.");
        double viaHead = HeadScoring.meanNll(host, adapter, ids);
        int firstRows = ids.length - 1;
        double viaJavaFirst = Perplexity.meanNll(w, rows.slice(0, firstRows), loss);

        assertThat(viaJavaFirst).isCloseTo(viaHead, within(1e-3));
        assertThat(viaJava).isNotEqualTo(Perplexity.meanNll(base, rows, loss));
    }

    @Test
    void energyDecreasesMonotonically_duringInference() {
        PcWeights w = randomW2(base, 0.05, 3);
        PcTrainer trainer = new PcTrainer(SETTINGS, loss);

        PcTrainer.Inference state = trainer.infer(new PcLayer(w), rows, 20);

        double[] f = state.energy();
        assertThat(f[0]).isCloseTo(Perplexity.meanNll(w, rows, loss) * rows.n(), within(1e-2 * rows.n()));
        for (int i = 1; i < f.length; i++) {
            assertThat(f[i]).as("energy after step %d", i).isLessThanOrEqualTo(f[i - 1] + 1e-6);
        }
        assertThat(f[f.length - 1]).isLessThan(f[0] * 0.999);
    }

    @Test
    void relaxedOutputError_pointsAlongTheNegativeGradient() {
        PcWeights w = randomW2(base, 0.05, 5);
        PcTrainer trainer = new PcTrainer(new TrainerSettings(1, 64, 0.05, 60, 0.05, 1e9, 1.0, 0.0, 1.0, 7), loss);
        Rows batch = rows.slice(0, Math.min(16, rows.n()));

        PcTrainer.Inference state = trainer.infer(new PcLayer(w), batch, 60);

        float[] mu = new PcLayer(w).forward(batch.x(), batch.n());
        float[] grad = new float[mu.length];
        loss.evaluate(mu, batch.targets(), batch.n(), new float[batch.n()], grad);
        assertThat(cosine(state.e2(), grad)).isLessThan(-0.9);
    }

    @Test
    void pcAndGradientDescent_bothLowerTheTrainingNll() {
        TrainerSettings settings = new TrainerSettings(6, 32, 0.05, 10, 0.1, 50, 1.0, 0.0, 1.0, 7);
        double before = Perplexity.meanNll(base, rows, loss);

        PcWeights pc = new PcTrainer(settings, loss).train(base, base, rows);
        PcWeights gd = new GradientTrainer(settings, loss).train(base, base, rows);

        assertThat(Perplexity.meanNll(pc, rows, loss)).isLessThan(before - 0.05);
        assertThat(Perplexity.meanNll(gd, rows, loss)).isLessThan(before - 0.05);
    }

    @Test
    void errorClipping_boundsEveryRowOfTheUpdate() {
        float[] v = {3, 4, 0, 0, 0.3f, 0.4f};
        int clipped = Linear.clipRows(v, 3, 2, 1.0);

        assertThat(clipped).isEqualTo(1);
        assertThat(v).containsExactly(new float[] {0.6f, 0.8f, 0, 0, 0.3f, 0.4f}, within(1e-6f));
    }

    @Test
    void updateClipping_boundsOneStepsWeightChange() {
        double clip = 1e-3;
        PcWeights w = base.copy();
        new PcTrainer(new TrainerSettings(1, 64, 10.0, 5, 0.1, 1e9, clip, 0.0, 1.0, 7), loss)
                .step(w, base, rows.slice(0, 16));

        assertThat(Math.sqrt(Linear.distanceSquared(w.w2(), base.w2()))).isLessThanOrEqualTo(clip * 1.0001);
        assertThat(Math.sqrt(Linear.distanceSquared(w.w2(), base.w2()))).isGreaterThan(clip * 0.5);
        assertThat(Math.sqrt(Linear.distanceSquared(w.w1(), base.w1()))).isLessThanOrEqualTo(clip * 1.0001);
    }

    @Test
    void anchor_pullsTheWeightsBackByAlphaLambda_whenTheDataIsSilent() {
        OutputLoss silent = (mu, targets, n, nll, grad) -> {
            java.util.Arrays.fill(nll, 0, n, 0f);
            if (grad != null) {
                java.util.Arrays.fill(grad, 0, n * mu.length / n, 0f);
            }
        };
        PcWeights anchor = base;
        PcWeights moved = randomW2(base, 0.01, 9);
        double before = moved.distanceSquared(anchor);
        double alpha = 0.1;
        double lambda = 2.0;

        PcWeights w = moved.copy();
        new GradientTrainer(new TrainerSettings(1, 64, alpha, 1, 0.1, 50, 1e9, lambda, 1.0, 7), silent)
                .step(w, anchor, rows.slice(0, 8));

        double shrink = 1 - alpha * lambda;
        assertThat(w.distanceSquared(anchor)).isCloseTo(before * shrink * shrink, within(before * 1e-4));
    }

    @Test
    void anchor_keepsTrainedWeightsCloserToTheLastPromotedVersion() {
        TrainerSettings free = new TrainerSettings(4, 32, 0.05, 10, 0.1, 50, 1.0, 0.0, 1.0, 7);
        TrainerSettings anchored = new TrainerSettings(4, 32, 0.05, 10, 0.1, 50, 1.0, 5.0, 1.0, 7);

        double freeDistance = new PcTrainer(free, loss).train(base, base, rows).distanceSquared(base);
        double anchoredDistance = new PcTrainer(anchored, loss).train(base, base, rows).distanceSquared(base);

        assertThat(anchoredDistance).isLessThan(freeDistance * 0.8);
    }

    static PcWeights randomW2(PcWeights from, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w2 = new float[from.w2().length];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (r.nextGaussian() * scale);
        }
        return new PcWeights(from.p(), from.d(), from.w1().clone(), w2);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / Math.sqrt(Linear.sumSquares(a) * Linear.sumSquares(b));
    }
}
