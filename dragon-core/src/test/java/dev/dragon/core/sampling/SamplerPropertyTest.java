package dev.dragon.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class SamplerPropertyTest {

    @Property(tries = 300)
    void topKOneAndZeroTemperatureBothPickTheArgmax(@ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int vocab,
                                                   @ForAll @DoubleRange(min = 0.05, max = 10) double temperature) {
        float[] logits = logits(seed, vocab, true);
        int expected = referenceArgmax(logits);
        assertThat(new Sampler(SamplingParams.greedy()).sample(logits).token()).isEqualTo(expected);
        Sampler topOne = new Sampler(SamplingParams.builder().temperature(temperature).topK(1).seed(seed).build());
        assertThat(topOne.sample(logits).token()).isEqualTo(expected);
    }

    @Property(tries = 300)
    void sameSeedSameTokens(@ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int vocab,
                            @ForAll @DoubleRange(min = 0.1, max = 3) double temperature,
                            @ForAll @DoubleRange(min = 0.05, max = 1) double topP,
                            @ForAll @IntRange(min = 0, max = 10) int topK) {
        float[] logits = logits(seed, vocab, false);
        SamplingParams params = SamplingParams.builder().temperature(temperature).topP(topP).topK(topK).seed(seed).build();
        Sampler a = new Sampler(params);
        Sampler b = new Sampler(params);
        for (int i = 0; i < 20; i++) {
            assertThat(a.sample(logits).token()).isEqualTo(b.sample(logits).token());
        }
    }

    @Property(tries = 300)
    void drawsStayInsideTheMinimalNucleus(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int vocab,
                                          @ForAll @DoubleRange(min = 0.2, max = 2) double temperature,
                                          @ForAll @DoubleRange(min = 0.01, max = 1) double topP,
                                          @ForAll @IntRange(min = 0, max = 10) int topK) {
        float[] logits = logits(seed, vocab, false);
        Sampler sampler = new Sampler(SamplingParams.builder().temperature(temperature).topP(topP).topK(topK)
                .seed(seed).build());
        int[] nucleus = sampler.candidates(logits, 0, vocab);

        // reference: rank all tokens, cut to top-k, then the minimal prefix reaching top_p of that mass
        Integer[] order = new Integer[vocab];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> logits[x] != logits[y] ? Float.compare(logits[y], logits[x]) : Integer.compare(x, y));
        int k = topK == 0 ? vocab : Math.min(topK, vocab);
        double[] p = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp((logits[order[i]] - logits[order[0]]) * (1 / temperature));
            total += p[i];
        }
        int size = k;
        if (topP < 1) {
            double mass = 0;
            for (int i = 0; i < k; i++) {
                mass += p[i];
                if (mass >= topP * total) {
                    size = i + 1;
                    break;
                }
            }
        }
        assertThat(nucleus).hasSize(size);
        for (int i = 0; i < nucleus.length; i++) {
            assertThat(nucleus[i]).isEqualTo(order[i]);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(nucleus).contains(sampler.sample(logits).token());
        }
    }

    @Property(tries = 200)
    void logprobsAreANormalisedDistribution(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int vocab) {
        float[] logits = logits(seed, vocab, false);
        Sampler sampler = new Sampler(SamplingParams.builder().seed(seed).logprobs(true).topLogprobs(20).build());
        SampledToken sampled = sampler.sample(logits);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[i] - Sampler.logSumExp(logits, 0, vocab));
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        assertThat(sampled.topLogprobs()).hasSize(Math.min(20, vocab));
        for (int i = 1; i < sampled.topLogprobs().size(); i++) {
            assertThat(sampled.topLogprobs().get(i - 1).logprob()).isGreaterThanOrEqualTo(sampled.topLogprobs().get(i).logprob());
        }
        assertThat(sampled.logprob()).isLessThanOrEqualTo(0f);
    }

    private static float[] logits(long seed, int vocab, boolean withTies) {
        Random random = new Random(seed);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = withTies ? random.nextInt(4) : (float) (random.nextGaussian() * 3);
        }
        return logits;
    }

    private static int referenceArgmax(float[] logits) {
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
