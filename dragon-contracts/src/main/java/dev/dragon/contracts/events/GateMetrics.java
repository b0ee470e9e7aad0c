package dev.dragon.contracts.events;

/**
 * What the learner's promotion gate measured for a candidate version.
 *
 * @param feedbackPerplexityBefore perplexity of the live version on the held-out slice of recent feedback
 * @param feedbackPerplexityAfter  perplexity of the candidate on that slice (must be lower to promote)
 * @param basePerplexityReference  perplexity of the bundle's own PC layer (version 0) on the fixed base holdout
 * @param basePerplexityAfter      perplexity of the candidate on the base holdout (may exceed the reference by at
 *                                 most the configured regression, 0.5% by default)
 * @param feedbackHoldoutTokens    scored tokens in the feedback slice
 * @param baseHoldoutTokens        scored tokens in the base holdout
 * @param trainingTokens           feedback tokens the candidate was trained on
 * @param replayTokens             base-distribution tokens replayed alongside them
 */
public record GateMetrics(double feedbackPerplexityBefore, double feedbackPerplexityAfter,
                          double basePerplexityReference, double basePerplexityAfter, int feedbackHoldoutTokens,
                          int baseHoldoutTokens, int trainingTokens, int replayTokens) {

    /** Relative change of the base holdout perplexity against the reference (0.004 = 0.4% worse). */
    public double baseRegression() {
        return basePerplexityAfter / basePerplexityReference - 1;
    }
}
