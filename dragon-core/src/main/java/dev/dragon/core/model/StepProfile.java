package dev.dragon.core.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where one decode step's time went on the engine thread, by stage, summed over layers and micro-batches.
 * {@link ForwardPass} fills the model stages, the engine adds the head, sampling and token hand-off. Stages
 * add up to the step's wall time on the engine thread; with remote experts, {@link Stage#WAIT} is what the
 * overlap did not hide (wire, the expert groups' compute, decoding the reply). Engine thread only.
 */
public final class StepProfile {

    /** The stages of a step, in the order they run. */
    public enum Stage {
        /** token ids → hidden states */
        EMBED,
        /** attention blocks (ORT), KV ring writes */
        ATTENTION,
        /** gate affinities and top-k, in Java */
        GATE,
        /** packing rows by expert and handing them to the expert backend (encoding, for remote groups) */
        DISPATCH,
        /** the shared expert (ORT), while the routed experts are computed */
        SHARED,
        /** blocked on the routed experts' results */
        WAIT,
        /** h = h' + shared + Σ g·E */
        COMBINE,
        /** final norm, PC adapter layer and LM head (ORT) */
        HEAD,
        /** one token per sequence from its logits */
        SAMPLING,
        /** detokenizing, stop matching and handing the token to its sink (the SSE writer) */
        EMIT;

        /** The metric tag: lower case. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Stage[] STAGES = Stage.values();

    private final long[] nanos = new long[STAGES.length];

    /** Adds the time since {@code since} to {@code stage}; returns now, the start of the next stage. */
    public long lap(Stage stage, long since) {
        long now = System.nanoTime();
        nanos[stage.ordinal()] += now - since;
        return now;
    }

    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    public long totalNanos() {
        long sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return sum;
    }

    public void reset() {
        Arrays.fill(nanos, 0);
    }

    public static Stage[] stages() {
        return STAGES.clone();
    }
}
