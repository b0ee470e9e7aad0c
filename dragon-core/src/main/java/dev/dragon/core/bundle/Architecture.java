package dev.dragon.core.bundle;

/**
 * Model hyper-parameters from the manifest's {@code architecture}.
 *
 * @param vocabSize      V, logits per position
 * @param dModel         d, hidden width
 * @param nLayers        number of transformer layers
 * @param nHeads         H, attention heads
 * @param headDim        Dh, per-head width
 * @param window         W, sliding-window length (KV ring size)
 * @param ropeTheta      RoPE base
 * @param normEps        RMSNorm epsilon
 * @param maxPositions   largest absolute position the model accepts
 * @param routedExperts  E, routed experts per layer
 * @param sharedExperts  shared experts per layer
 * @param topK           routed experts selected per token
 * @param expertHidden   routed expert FFN width
 * @param sharedHidden   shared expert FFN width
 * @param pcHidden       P, predictive-coding layer width
 * @param gating         gating description
 */
public record Architecture(int vocabSize, int dModel, int nLayers, int nHeads, int headDim, int window,
                           double ropeTheta, double normEps, long maxPositions, int routedExperts,
                           int sharedExperts, int topK, int expertHidden, int sharedHidden, int pcHidden,
                           Gating gating) {
}
