package dev.dragon.learning.pc;

/**
 * Weights of the PC layer {@code mu = x + W2·tanh(W1·x)}: {@code w1 [P,d]} and {@code w2 [d,P]}, row-major fp32.
 * Treated as immutable: trainers work on copies.
 *
 * @param p  P, the PC hidden size
 * @param d  d, the model width
 */
public record PcWeights(int p, int d, float[] w1, float[] w2) {

    public PcWeights {
        if (p < 1 || d < 1 || w1.length != p * d || w2.length != d * p) {
            throw new IllegalArgumentException("PC weights must be W1 [P,d] and W2 [d,P] with P=" + p + ", d=" + d);
        }
    }

    public PcWeights copy() {
        return new PcWeights(p, d, w1.clone(), w2.clone());
    }

    /** Squared Frobenius distance to {@code other}, both matrices together. */
    public double distanceSquared(PcWeights other) {
        return Linear.distanceSquared(w1, other.w1) + Linear.distanceSquared(w2, other.w2);
    }
}
