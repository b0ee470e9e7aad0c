package dev.dragon.core.gating;

import dev.dragon.core.tensor.FloatTensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * The router of one MoE layer: affinities {@code s_i = sigmoid(u · e_i)} for every routed expert,
 * selection by {@code s_i + bias_i} (ties to the lower expert index), weights = selected {@code s_i}
 * normalised to sum 1. The bias steers selection only; it never enters the weights.
 * Immutable and thread-safe; arithmetic is in double precision.
 */
public final class Gate {

    private final float[] weights; // [E, d]
    private final float[] bias;    // [E]
    private final int experts;
    private final int dModel;
    private final GatingPolicy policy;

    /**
     * @param weights gate weights, {@code [experts, dModel]} row-major (not copied: do not modify)
     * @param bias    selection bias, {@code [experts]} (copied)
     */
    public Gate(float[] weights, float[] bias, int experts, int dModel, GatingPolicy policy) {
        if (experts < 1 || dModel < 1) {
            throw new IllegalArgumentException("need experts >= 1 and dModel >= 1, got " + experts + ", " + dModel);
        }
        if (weights.length != (long) experts * dModel) {
            throw new IllegalArgumentException("gate weights must be [" + experts + ", " + dModel + "] = "
                    + (long) experts * dModel + " floats, got " + weights.length);
        }
        if (bias.length != experts) {
            throw new IllegalArgumentException("bias must have " + experts + " entries, got " + bias.length);
        }
        if (policy.mode() == GatingMode.TOP_K && policy.topK() > experts) {
            throw new IllegalArgumentException("topK " + policy.topK() + " exceeds the " + experts + " experts");
        }
        if (policy.kMin() > experts) {
            throw new IllegalArgumentException("kMin " + policy.kMin() + " exceeds the " + experts + " experts");
        }
        this.weights = weights;
        this.bias = bias.clone();
        this.experts = experts;
        this.dModel = dModel;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** A gate from a {@code [E, d]} weight tensor (e.g. {@code layers.{l}.gate} of gates.safetensors). */
    public static Gate of(FloatTensor weights, float[] bias, GatingPolicy policy) {
        if (weights.rank() != 2) {
            throw new IllegalArgumentException("gate weights must be 2-D [E, d], got " + weights);
        }
        return new Gate(weights.data(), bias, weights.dim(0), weights.dim(1), policy);
    }

    /** The same weights and bias with another selection policy. */
    public Gate withPolicy(GatingPolicy other) {
        return new Gate(weights, bias, experts, dModel, other);
    }

    public int experts() {
        return experts;
    }

    public int dModel() {
        return dModel;
    }

    public GatingPolicy policy() {
        return policy;
    }

    /** Routes {@code rows} rows of {@code u}, a {@code [rows, d]} block starting at {@code offset}. */
    public Routing route(float[] u, int offset, int rows) {
        Objects.checkFromIndexSize(offset, Math.multiplyExact(rows, dModel), u.length);
        int kMax = Math.min(policy.maxExperts(), experts);
        int[] offsets = new int[rows + 1];
        int[] selected = new int[rows * kMax];
        float[] gains = new float[rows * kMax];
        double[] s = new double[experts];
        double[] key = new double[experts];
        int[] order = new int[experts];
        boolean[] taken = new boolean[experts];
        int total = 0;
        for (int r = 0; r < rows; r++) {
            affinities(u, offset + r * dModel, s);
            for (int e = 0; e < experts; e++) {
                key[e] = s[e] + bias[e];
            }
            int k = policy.mode() == GatingMode.TOP_K ? topK(key, policy.topK(), order, taken) : adaptive(s, key, order);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += s[order[j]];
            }
            for (int j = 0; j < k; j++) {
                selected[total + j] = order[j];
                gains[total + j] = (float) (sum > 0 ? s[order[j]] / sum : 1.0 / k);
            }
            total += k;
            offsets[r + 1] = total;
        }
        return new Routing(offsets, Arrays.copyOf(selected, total), Arrays.copyOf(gains, total));
    }

    /** Writes the affinities {@code s = sigmoid(u · gateᵀ)} of {@code rows} rows into {@code out} {@code [rows, E]}. */
    public void affinities(float[] u, int offset, int rows, float[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, Math.multiplyExact(rows, dModel), u.length);
        Objects.checkFromIndexSize(outOffset, Math.multiplyExact(rows, experts), out.length);
        double[] s = new double[experts];
        for (int r = 0; r < rows; r++) {
            affinities(u, offset + r * dModel, s);
            for (int e = 0; e < experts; e++) {
                out[outOffset + r * experts + e] = (float) s[e];
            }
        }
    }

    private void affinities(float[] u, int rowStart, double[] s) {
        for (int e = 0; e < experts; e++) {
            // four independent partial sums: the adds pipeline instead of waiting on one another
            double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            int w = e * dModel;
            int i = 0;
            for (; i + 3 < dModel; i += 4) {
                d0 += (double) u[rowStart + i] * weights[w + i];
                d1 += (double) u[rowStart + i + 1] * weights[w + i + 1];
                d2 += (double) u[rowStart + i + 2] * weights[w + i + 2];
                d3 += (double) u[rowStart + i + 3] * weights[w + i + 3];
            }
            for (; i < dModel; i++) {
                d0 += (double) u[rowStart + i] * weights[w + i];
            }
            double dot = (d0 + d1) + (d2 + d3);
            s[e] = 1.0 / (1.0 + Math.exp(-dot));
        }
    }

    /** Puts the {@code k} largest keys' experts first in {@code order}, descending, ties to the lower index. */
    private int topK(double[] key, int k, int[] order, boolean[] taken) {
        Arrays.fill(taken, false);
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int e = 0; e < experts; e++) {
                if (!taken[e] && (best < 0 || key[e] > key[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            order[j] = best;
        }
        return k;
    }

    /** Ranks all experts by key and returns the adaptive prefix length. */
    private int adaptive(double[] s, double[] key, int[] order) {
        for (int e = 0; e < experts; e++) { // insertion sort: descending key, ascending index on ties
            int j = e;
            while (j > 0 && key[order[j - 1]] < key[e]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = e;
        }
        double total = 0;
        for (int j = 0; j < experts; j++) {
            total += s[order[j]];
        }
        double target = policy.topP() * total;
        double mass = 0;
        int k = 0;
        while (k < experts && (k == 0 || mass < target)) {
            mass += s[order[k++]];
        }
        return Math.max(policy.kMin(), Math.min(Math.min(policy.kMax(), experts), k));
    }

    @Override
    public String toString() {
        return "Gate[" + experts + " experts, d=" + dModel + ", " + policy + "]";
    }
}
