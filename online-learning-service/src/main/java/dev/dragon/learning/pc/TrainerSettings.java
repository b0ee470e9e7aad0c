package dev.dragon.learning.pc;

/**
 * Hyper-parameters shared by {@link PcTrainer} and {@link GradientTrainer}.
 *
 * @param epochs          passes over the rows of one update
 * @param batchRows       rows per weight update (a mini-batch)
 * @param learningRate    α, the weight step size
 * @param inferenceSteps  K, relaxation steps of the latent activities per mini-batch (predictive coding only)
 * @param inferenceRate   γ, the step size of that relaxation (predictive coding only)
 * @param errorClip       largest L2 norm of one row's error (the output error dNLL/dmu and the PC errors)
 * @param updateClip      largest Frobenius norm of one mini-batch's ΔW1 and of its ΔW2
 * @param anchor          λ, strength of the pull towards the last promoted weights
 * @param baseWeight      β, weight of replayed base rows that keep the base output ({@link Rows#KEEP_BASE})
 * @param seed            seed of the mini-batch shuffle
 */
public record TrainerSettings(int epochs, int batchRows, double learningRate, int inferenceSteps,
                              double inferenceRate, double errorClip, double updateClip, double anchor,
                              double baseWeight, long seed) {

    public TrainerSettings {
        if (epochs < 1 || batchRows < 1 || !(learningRate > 0) || inferenceSteps < 1 || !(inferenceRate > 0)
                || !(errorClip > 0) || !(updateClip > 0) || anchor < 0 || baseWeight < 0) {
            throw new IllegalArgumentException("invalid trainer settings: " + epochs + " epochs, " + batchRows
                    + " rows, α=" + learningRate + ", K=" + inferenceSteps + ", γ=" + inferenceRate + ", clips "
                    + errorClip + "/" + updateClip + ", λ=" + anchor);
        }
    }
}
