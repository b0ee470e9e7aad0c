package dev.dragon.core.bundle;

import java.util.Arrays;

/** The manifest's {@code gating_bias}: one bias per routed expert per layer, {@code [n_layers][routed_experts]}. */
public final class GatingBias {

    private final float[][] bias; // [layers][experts]

    /** Copies {@code bias}; every layer must have the same number of experts. */
    public GatingBias(float[][] bias) {
        this.bias = new float[bias.length][];
        for (int layer = 0; layer < bias.length; layer++) {
            if (bias[layer].length != bias[0].length) {
                throw new IllegalArgumentException("layer " + layer + " has " + bias[layer].length
                        + " biases, layer 0 has " + bias[0].length);
            }
            this.bias[layer] = bias[layer].clone();
        }
    }

    public int layers() {
        return bias.length;
    }

    public int experts() {
        return bias.length == 0 ? 0 : bias[0].length;
    }

    /** A copy of layer {@code layer}'s biases, {@code [routed_experts]}. */
    public float[] layer(int layer) {
        return bias[layer].clone();
    }

    public float get(int layer, int expert) {
        return bias[layer][expert];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GatingBias o && Arrays.deepEquals(bias, o.bias);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(bias);
    }

    @Override
    public String toString() {
        return "GatingBias" + Arrays.deepToString(bias);
    }
}
