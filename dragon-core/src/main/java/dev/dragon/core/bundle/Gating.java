package dev.dragon.core.bundle;

/**
 * Gating description from the manifest. Only the DeepSeek-V3 style is supported: sigmoid affinities,
 * top-k selection on affinity plus bias, selected affinities normalised to sum 1.
 */
public record Gating(String affinity, String selection, boolean normalize) {

    public static final String SIGMOID = "sigmoid";
    public static final String TOPK_S_PLUS_BIAS = "topk(s+bias)";
}
