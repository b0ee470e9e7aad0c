package dev.dragon.core.gating;

/** How many routed experts a token gets. */
public enum GatingMode {
    /** Exactly {@code topK} experts: the largest {@code s + bias}. */
    TOP_K,
    /**
     * The smallest prefix of experts ranked by {@code s + bias} whose share of the total affinity
     * reaches {@code topP}, clamped to {@code [kMin, kMax]}.
     */
    ADAPTIVE
}
