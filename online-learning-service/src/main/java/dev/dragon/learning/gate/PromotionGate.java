package dev.dragon.learning.gate;

import dev.dragon.contracts.events.GateMetrics;
import dev.dragon.learning.pc.OutputLoss;
import dev.dragon.learning.pc.PcWeights;
import dev.dragon.learning.pc.Perplexity;
import dev.dragon.learning.pc.Rows;

/**
 * Judges a candidate against the live version:
 * <ol>
 *   <li>its perplexity on the held-out slice of recent feedback must be lower than the live version's by at least
 *       {@code minFeedbackImprovement} (relative);</li>
 *   <li>its perplexity on the fixed base holdout may exceed the bundle's own (version 0) by at most
 *       {@code maxBaseRegression} (relative, 0.005 = 0.5%). The reference is version 0, not the live version, so
 *       regressions cannot pile up over many promotions.</li>
 * </ol>
 */
public final class PromotionGate {

    /** The outcome: {@code reason} explains a rejection in words for the log ({@code code} is the metric label). */
    public record Verdict(boolean promoted, String code, String reason, GateMetrics metrics) {
    }

    private final OutputLoss loss;
    private final Rows baseHoldout;
    private final double baseReference;
    private final double maxBaseRegression;
    private final double minFeedbackImprovement;

    /**
     * @param baseWeights the bundle's PC layer (version 0), whose base-holdout perplexity is the reference
     */
    public PromotionGate(OutputLoss loss, Rows baseHoldout, PcWeights baseWeights, double maxBaseRegression,
                         double minFeedbackImprovement) {
        this.loss = loss;
        this.baseHoldout = baseHoldout;
        this.baseReference = Perplexity.of(baseWeights, baseHoldout, loss);
        this.maxBaseRegression = maxBaseRegression;
        this.minFeedbackImprovement = minFeedbackImprovement;
    }

    /** Perplexity of version 0 on the base holdout. */
    public double baseReference() {
        return baseReference;
    }

    public double basePerplexity(PcWeights w) {
        return Perplexity.of(w, baseHoldout, loss);
    }

    public Verdict judge(PcWeights live, PcWeights candidate, Rows feedbackHoldout, int trainingTokens,
                         int replayTokens) {
        double before = Perplexity.of(live, feedbackHoldout, loss);
        double after = Perplexity.of(candidate, feedbackHoldout, loss);
        double base = basePerplexity(candidate);
        GateMetrics m = new GateMetrics(before, after, baseReference, base, feedbackHoldout.n(), baseHoldout.n(),
                trainingTokens, replayTokens);
        if (!Double.isFinite(after) || !Double.isFinite(base)) {
            return new Verdict(false, "non_finite", "candidate perplexity is not finite", m);
        }
        if (after > before * (1 - minFeedbackImprovement)) {
            return new Verdict(false, "no_improvement", String.format(
                    "held-out feedback perplexity %.4f → %.4f does not improve by %.2f%%", before, after,
                    100 * minFeedbackImprovement), m);
        }
        if (m.baseRegression() > maxBaseRegression) {
            return new Verdict(false, "base_regression", String.format(
                    "base holdout perplexity %.4f is %.3f%% above version 0's %.4f (at most %.3f%% allowed)", base,
                    100 * m.baseRegression(), baseReference, 100 * maxBaseRegression), m);
        }
        return new Verdict(true, "improved", String.format(
                "held-out feedback perplexity %.4f → %.4f, base holdout %+.3f%% against version 0", before, after,
                100 * m.baseRegression()), m);
    }
}
