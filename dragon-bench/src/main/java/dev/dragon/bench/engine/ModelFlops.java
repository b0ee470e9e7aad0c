package dev.dragon.bench.engine;

import dev.dragon.core.bundle.Architecture;

/**
 * Forward FLOPs per generated token of the model (multiply-add = 2 FLOPs), the numerator of the
 * compute ceiling: ceiling tokens/s = measured ORT GFLOP/s ÷ FLOPs per token.
 */
public final class ModelFlops {

    private ModelFlops() {
    }

    /** One decode token with a full window of context. */
    public static double perToken(Architecture a) {
        double d = a.dModel();
        double attentionProjections = 4 * 2 * d * d;                                 // q, k, v, o
        double attentionWindow = 2 * 2.0 * a.nHeads() * a.window() * a.headDim();     // scores + values
        double gate = 2 * d * a.routedExperts();
        double shared = a.sharedExperts() * 3 * 2 * d * a.sharedHidden();            // SwiGLU: w1, w3, w2
        double routed = a.topK() * 3 * 2 * d * a.expertHidden();
        double perLayer = attentionProjections + attentionWindow + gate + shared + routed;
        double pc = 2 * 2 * d * a.pcHidden();
        double head = 2 * d * a.vocabSize();
        return a.nLayers() * perLayer + pc + head;
    }

    /** FLOPs of one shared-expert call on {@code rows} rows. */
    public static double sharedExpert(Architecture a, int rows) {
        return rows * 3 * 2.0 * a.dModel() * a.sharedHidden();
    }

    /** FLOPs of one head call (PC layer + LM head) on {@code rows} rows. */
    public static double head(Architecture a, int rows) {
        return rows * (2.0 * a.dModel() * a.vocabSize() + 2 * 2.0 * a.dModel() * a.pcHidden());
    }
}
