package dev.dragon.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** Probabilities .5, .3, .15, .05 at temperature 1. */
    static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15),
        (float) Math.log(0.05)};

    private static final RandomGenerator NO_RANDOMNESS = () -> {
        throw new AssertionError("greedy decoding must not draw random numbers");
    };

    @Test
    void greedyIsArgmaxWithTheLowestIdOnTies() {
        Sampler greedy = new Sampler(SamplingParams.greedy(), NO_RANDOMNESS);
        assertThat(greedy.sample(new float[] {1f, 3f, 2f, 3f}).token()).isEqualTo(1);
        assertThat(greedy.sample(new float[] {-5f, Float.NEGATIVE_INFINITY, -5f}).token()).isZero();
    }

    @Test
    void topKOneIsGreedyAtAnyTemperature() {
        Sampler sampler = new Sampler(SamplingParams.builder().temperature(5).topK(1).build(), NO_RANDOMNESS);
        assertThat(sampler.sample(new float[] {1f, 3f, 2f, 3f}).token()).isEqualTo(1);
    }

    @Test
    void seededSamplingIsReproducible() {
        SamplingParams params = SamplingParams.builder().temperature(1.3).topP(0.95).seed(42L).build();
        int[] first = draw(new Sampler(params), 200);
        int[] second = draw(new Sampler(params), 200);
        assertThat(first).containsExactly(second);
        int[] otherSeed = draw(new Sampler(params.toBuilder().seed(43L).build()), 200);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void seededSamplingGivesTheSameTokensOnEveryRun() {
        // SplittableRandom's algorithm is specified, so these are stable across runs and JDKs
        SamplingParams params = SamplingParams.builder().seed(1234L).build();
        assertThat(draw(new Sampler(params), 12)).containsExactly(PINNED);
    }

    // computed independently: SplittableRandom(1234).nextDouble() walked over the cumulative softmax in id order
    static final int[] PINNED = {1, 1, 0, 0, 1, 1, 0, 0, 0, 2, 0, 0};

    @Test
    void drawsFollowTheSoftmax() {
        Sampler sampler = new Sampler(SamplingParams.builder().seed(7L).build());
        double[] frequency = frequencies(sampler, 40_000);
        assertThat(frequency[0]).isCloseTo(0.50, within(0.015));
        assertThat(frequency[1]).isCloseTo(0.30, within(0.015));
        assertThat(frequency[2]).isCloseTo(0.15, within(0.015));
        assertThat(frequency[3]).isCloseTo(0.05, within(0.01));
    }

    @Test
    void temperatureSharpensOrFlattens() {
        double[] cold = frequencies(new Sampler(SamplingParams.builder().temperature(0.25).seed(1L).build()), 20_000);
        double[] hot = frequencies(new Sampler(SamplingParams.builder().temperature(4).seed(1L).build()), 20_000);
        // T = 0.25 raises probabilities to the 4th power: .5^4 / (.5^4 + .3^4 + ...) ~ 0.88
        assertThat(cold[0]).isCloseTo(0.88, within(0.02));
        assertThat(hot[3]).isGreaterThan(0.15);
    }

    @Test
    void topPKeepsTheMinimalNucleus() {
        assertThat(candidates(0.45, 0)).containsExactly(0);
        assertThat(candidates(0.7, 0)).containsExactly(0, 1);
        assertThat(candidates(0.81, 0)).containsExactly(0, 1, 2);
        assertThat(candidates(0.96, 0)).containsExactly(0, 1, 2, 3);
        assertThat(candidates(1.0, 0)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void topKIsAppliedBeforeTopP() {
        assertThat(candidates(1.0, 2)).containsExactly(0, 1);
        // within the top 3 (.5, .3, .15 -> renormalised .526, .316, .158): .842 covers 0.8, 0.85 needs all three
        assertThat(candidates(0.8, 3)).containsExactly(0, 1);
        assertThat(candidates(0.85, 3)).containsExactly(0, 1, 2);
        assertThat(candidates(0.8, 2)).containsExactly(0, 1);
    }

    @Test
    void samplesOnlyFromTheNucleusAndReachesAllOfIt() {
        Sampler sampler = new Sampler(SamplingParams.builder().topP(0.7).seed(3L).build());
        double[] frequency = frequencies(sampler, 10_000);
        assertThat(frequency[2]).isZero();
        assertThat(frequency[3]).isZero();
        assertThat(frequency[0]).isCloseTo(0.5 / 0.8, within(0.02));
    }

    @Test
    void topKTiesAtTheCutKeepTheLowerId() {
        Sampler sampler = new Sampler(SamplingParams.builder().topK(2).seed(9L).build());
        float[] logits = {0f, 5f, 1f, 1f};
        assertThat(sampler.candidates(logits, 0, 4)).containsExactly(1, 2);
    }

    @Test
    void logprobIsTheUnfilteredLogSoftmaxAtTemperatureOne() {
        Sampler sampler = new Sampler(SamplingParams.builder().temperature(0.5).topK(2).seed(5L)
                .logprobs(true).topLogprobs(3).build());
        SampledToken sampled = sampler.sample(LOGITS);
        double[] p = {0.5, 0.3, 0.15, 0.05};
        assertThat((double) sampled.logprob()).isCloseTo(Math.log(p[sampled.token()]), within(1e-6));
        assertThat(sampled.topLogprobs()).extracting(TokenLogprob::token).containsExactly(0, 1, 2);
        assertThat((double) sampled.topLogprobs().get(2).logprob()).isCloseTo(Math.log(0.15), within(1e-6));
    }

    @Test
    void logprobsOnlyWhenAsked() {
        SampledToken plain = new Sampler(SamplingParams.greedy()).sample(LOGITS);
        assertThat(plain.token()).isZero();
        assertThat(plain.topLogprobs()).isEmpty();
        assertThat(plain.logprob()).isNaN();
        SampledToken chosen = new Sampler(SamplingParams.greedy().toBuilder().logprobs(true).build()).sample(LOGITS);
        assertThat((double) chosen.logprob()).isCloseTo(Math.log(0.5), within(1e-6));
        assertThat(chosen.topLogprobs()).isEmpty();
        SampledToken asked = new Sampler(SamplingParams.greedy().toBuilder().logprobs(true).topLogprobs(20).build())
                .sample(LOGITS);
        assertThat(asked.topLogprobs()).hasSize(4);
    }

    @Test
    void samplesARowOfALargerLogitsArray() {
        float[] batch = new float[12];
        Arrays.fill(batch, -1f);
        batch[4 + 2] = 3f; // row 1, token 2
        Sampler greedy = new Sampler(SamplingParams.greedy().toBuilder().logprobs(true).topLogprobs(1).build());
        SampledToken sampled = greedy.sample(batch, 4, 4);
        assertThat(sampled.token()).isEqualTo(2);
        assertThat(sampled.topLogprobs().get(0).token()).isEqualTo(2);
        assertThatThrownBy(() -> greedy.sample(batch, 10, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void maskedTokensAreNeverDrawn() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, 0f};
        Sampler sampler = new Sampler(SamplingParams.builder().seed(11L).build());
        for (int i = 0; i < 1000; i++) {
            assertThat(sampler.sample(logits).token()).isIn(1, 3);
        }
    }

    @Test
    void rejectsLogitsThatAreNotADistribution() {
        Sampler sampler = new Sampler(SamplingParams.builder().seed(1L).build());
        assertThatThrownBy(() -> sampler.sample(new float[] {0f, Float.NaN})).hasMessageContaining("token 1 is NaN");
        assertThatThrownBy(() -> sampler.sample(new float[] {Float.POSITIVE_INFINITY}))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> sampler.sample(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}))
                .hasMessageContaining("every logit is -infinity");
        assertThatThrownBy(() -> sampler.sample(new float[0])).hasMessageContaining("at least one logit");
    }

    private static int[] draw(Sampler sampler, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.sample(LOGITS).token();
        }
        return out;
    }

    private static double[] frequencies(Sampler sampler, int n) {
        double[] counts = new double[LOGITS.length];
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(LOGITS).token()]++;
        }
        return Arrays.stream(counts).map(c -> c / n).toArray();
    }

    private static int[] candidates(double topP, int topK) {
        return new Sampler(SamplingParams.builder().topP(topP).topK(topK).build()).candidates(LOGITS, 0, 4);
    }
}
