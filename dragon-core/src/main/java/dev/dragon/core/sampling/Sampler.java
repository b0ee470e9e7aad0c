package dev.dragon.core.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next token of one sequence from its logits. Temperature 0 (or top_k 1) is greedy: the
 * largest logit, lowest id on ties. Otherwise tokens are drawn from softmax(logits / temperature)
 * restricted by top-k, then top-p (the smallest set of most likely tokens whose renormalised mass
 * reaches top_p), using this sequence's own random generator, seeded from {@code seed} when given so
 * that a run is reproducible. The reported logprob is the log-softmax of the unfiltered logits at
 * temperature 1, as the OpenAI API reports it; it costs an {@code exp} per vocabulary entry, so it is only
 * computed when the request asks for logprobs and is NaN otherwise. Not thread-safe: one sampler per sequence.
 */
public final class Sampler {

    private final SamplingParams params;
    private final RandomGenerator random;

    /** A sampler whose generator is {@code SplittableRandom(seed)}, or unseeded when seed is null. */
    public Sampler(SamplingParams params) {
        this(params, params.seed() == null ? new SplittableRandom() : new SplittableRandom(params.seed()));
    }

    public Sampler(SamplingParams params, RandomGenerator random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
    }

    public SamplingParams params() {
        return params;
    }

    public SampledToken sample(float[] logits) {
        return sample(logits, 0, logits.length);
    }

    /**
     * Samples from the {@code vocab} logits starting at {@code offset} (e.g. one row of a {@code [N, V]}
     * batch). Fails on NaN or +infinity logits, or when every logit is -infinity.
     */
    public SampledToken sample(float[] logits, int offset, int vocab) {
        Objects.checkFromIndexSize(offset, vocab, logits.length);
        int best = validatedArgmax(logits, offset, vocab);                  // one pass: checks and greedy pick
        double max = logits[offset + best];
        int token = params.isGreedy() ? best : draw(logits, offset, vocab, max);
        if (!params.logprobs()) {
            return new SampledToken(token, Float.NaN, List.of());
        }
        double logSumExp = logSumExp(logits, offset, vocab, max);
        float logprob = (float) (logits[offset + token] - logSumExp);
        List<TokenLogprob> top = List.of();
        if (params.topLogprobs() > 0) {
            int[] ids = Ranking.top(logits, offset, vocab, params.topLogprobs());
            List<TokenLogprob> list = new ArrayList<>(ids.length);
            for (int id : ids) {
                list.add(new TokenLogprob(id, (float) (logits[offset + id] - logSumExp)));
            }
            top = list;
        }
        return new SampledToken(token, logprob, top);
    }

    /** Token ids that can be drawn after top-k and top-p filtering, most likely first (for tests). */
    int[] candidates(float[] logits, int offset, int vocab) {
        int[] ranked = ranked(logits, offset, vocab);
        return Arrays.copyOf(ranked, nucleusSize(weights(logits, offset, ranked)));
    }

    private int draw(float[] logits, int offset, int vocab, double max) {
        if (params.topK() == 0 && params.topP() >= 1) {
            return drawUnfiltered(logits, offset, vocab, max);
        }
        int[] ranked = ranked(logits, offset, vocab);
        double[] weights = weights(logits, offset, ranked);
        int keep = nucleusSize(weights);
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            mass += weights[i];
        }
        double u = random.nextDouble() * mass;
        double cumulative = 0;
        for (int i = 0; i < keep; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return ranked[i];
            }
        }
        return ranked[0]; // only reachable through rounding at the very top of the range
    }

    /** Draws from the full softmax without sorting, walking ids in order. */
    private int drawUnfiltered(float[] logits, int offset, int vocab, double max) {
        double invT = 1 / params.temperature();
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            total += Math.exp((logits[offset + i] - max) * invT);
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            double w = Math.exp((logits[offset + i] - max) * invT);
            if (w > 0) {
                cumulative += w;
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Ids by descending logit (ascending id on ties), cut to top_k when set. */
    private int[] ranked(float[] logits, int offset, int vocab) {
        return params.topK() > 0 ? Ranking.top(logits, offset, vocab, Math.min(params.topK(), vocab))
                : Ranking.all(logits, offset, vocab);
    }

    /** Unnormalised softmax(logits / T) weights of the ranked ids. */
    private double[] weights(float[] logits, int offset, int[] ranked) {
        double max = logits[offset + ranked[0]];
        double invT = params.temperature() == 0 ? Double.POSITIVE_INFINITY : 1 / params.temperature();
        double[] weights = new double[ranked.length];
        for (int i = 0; i < ranked.length; i++) {
            double delta = logits[offset + ranked[i]] - max;
            weights[i] = delta == 0 ? 1 : Math.exp(delta * invT);
        }
        return weights;
    }

    /** Size of the smallest prefix of the ranked weights whose share of their total reaches top_p. */
    private int nucleusSize(double[] weights) {
        if (params.topP() >= 1) {
            return weights.length;
        }
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double target = params.topP() * total;
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (cumulative >= target) {
                return i + 1;
            }
        }
        return weights.length;
    }

    /** log Σ exp(logits), validating that the logits can form a distribution. */
    static double logSumExp(float[] logits, int offset, int vocab) {
        return logSumExp(logits, offset, vocab, logits[offset + validatedArgmax(logits, offset, vocab)]);
    }

    private static double logSumExp(float[] logits, int offset, int vocab, double max) {
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Index of the largest logit (the lowest id on ties), failing on NaN or +infinity
     * logits, or when every logit is -infinity.
     */
    private static int validatedArgmax(float[] logits, int offset, int vocab) {
        if (vocab < 1) {
            throw new IllegalArgumentException("need at least one logit");
        }
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float x = logits[offset + i];
            if (x > max) {
                if (x == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logit of token " + i + " is " + x);
                }
                max = x;
                best = i;
            } else if (x != x) {                                        // NaN compares false with everything
                throw new IllegalArgumentException("logit of token " + i + " is " + x);
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("every logit is -infinity");
        }
        return best;
    }
}
