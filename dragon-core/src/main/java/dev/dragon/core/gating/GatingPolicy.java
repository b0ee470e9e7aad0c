package dev.dragon.core.gating;

import java.util.Objects;

/**
 * Expert selection settings. Use {@link #topK(int)} or {@link #adaptive(double, int, int)}.
 *
 * @param mode selection mode
 * @param topK experts per token in {@link GatingMode#TOP_K} mode (equals {@code kMax} in adaptive mode)
 * @param topP affinity mass to reach in {@link GatingMode#ADAPTIVE} mode, in (0, 1] (1 in top-k mode)
 * @param kMin fewest experts per token (equals {@code topK} in top-k mode)
 * @param kMax most experts per token (equals {@code topK} in top-k mode)
 */
public record GatingPolicy(GatingMode mode, int topK, double topP, int kMin, int kMax) {

    public GatingPolicy {
        Objects.requireNonNull(mode, "mode");
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (kMin < 1 || kMax < kMin) {
            throw new IllegalArgumentException("need 1 <= kMin <= kMax, got kMin=" + kMin + ", kMax=" + kMax);
        }
        if (topK < kMin || topK > kMax) {
            throw new IllegalArgumentException("topK must be in [kMin, kMax], got " + topK);
        }
        if (mode == GatingMode.TOP_K && (kMin != topK || kMax != topK || topP != 1)) {
            throw new IllegalArgumentException("top-k mode uses kMin = kMax = topK and topP = 1");
        }
    }

    /** Exactly {@code k} experts per token. */
    public static GatingPolicy topK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + k);
        }
        return new GatingPolicy(GatingMode.TOP_K, k, 1, k, k);
    }

    /** Between {@code kMin} and {@code kMax} experts per token, enough to cover {@code topP} of the affinity. */
    public static GatingPolicy adaptive(double topP, int kMin, int kMax) {
        return new GatingPolicy(GatingMode.ADAPTIVE, kMax, topP, kMin, kMax);
    }

    /** Largest number of experts a token can get. */
    public int maxExperts() {
        return kMax;
    }
}
