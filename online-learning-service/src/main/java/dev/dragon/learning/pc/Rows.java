package dev.dragon.learning.pc;

import java.util.List;

/**
 * Training or evaluation rows for the PC layer: its inputs {@code x [n,d]} (the final-norm output of the model at
 * each position) and the next-token {@code targets [n]} those positions predict. A target of {@link #KEEP_BASE}
 * asks the layer to keep the base model's output there ({@code mu = x}, what version 0 does) instead of predicting
 * a token: how base-distribution rows are replayed (see {@link RowLoss}).
 */
public record Rows(int d, float[] x, int[] targets) {

    /** Target of a row whose output should stay the base model's. */
    public static final int KEEP_BASE = -1;

    public Rows {
        if (x.length != targets.length * d) {
            throw new IllegalArgumentException("rows: x must be [n,d] for n targets");
        }
    }

    public static Rows empty(int d) {
        return new Rows(d, new float[0], new int[0]);
    }

    public int n() {
        return targets.length;
    }

    public boolean isEmpty() {
        return targets.length == 0;
    }

    /** Rows {@code [from, to)}. */
    public Rows slice(int from, int to) {
        float[] xs = new float[(to - from) * d];
        System.arraycopy(x, from * d, xs, 0, xs.length);
        int[] ts = new int[to - from];
        System.arraycopy(targets, from, ts, 0, ts.length);
        return new Rows(d, xs, ts);
    }

    /** The rows at {@code indices}, in that order. */
    public Rows select(int[] indices, int from, int to) {
        float[] xs = new float[(to - from) * d];
        int[] ts = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(x, indices[i] * d, xs, (i - from) * d, d);
            ts[i - from] = targets[indices[i]];
        }
        return new Rows(d, xs, ts);
    }

    /** The same inputs, each asked to keep the base model's output. */
    public Rows keepingBase() {
        int[] keep = new int[targets.length];
        java.util.Arrays.fill(keep, KEEP_BASE);
        return new Rows(d, x, keep);
    }

    /** All rows of {@code parts}, in order. */
    public static Rows concat(int d, List<Rows> parts) {
        int n = parts.stream().mapToInt(Rows::n).sum();
        float[] xs = new float[n * d];
        int[] ts = new int[n];
        int at = 0;
        for (Rows r : parts) {
            System.arraycopy(r.x, 0, xs, at * d, r.n() * d);
            System.arraycopy(r.targets, 0, ts, at, r.n());
            at += r.n();
        }
        return new Rows(d, xs, ts);
    }
}
