package dev.dragon.router.cache;

import dev.dragon.core.sampling.SamplingParams;

/**
 * Which requests may be answered from the response cache: only deterministic ones, whose answer is a
 * function of the request, so a cached answer is the one the model would give again.
 *
 * <ul>
 *   <li>greedy requests ({@code temperature} 0, or {@code top_k} 1): the sampler takes the largest logit;</li>
 *   <li>requests with an explicit {@code seed}: the sampler's generator is seeded, so the draw repeats;</li>
 *   <li>unless the request opts out with Dragon's extension object: {@code "dragon": {"cache": false}}.</li>
 * </ul>
 * Unseeded sampling is never cached: two calls are meant to differ.
 */
public final class ResponseCachePolicy {

    private ResponseCachePolicy() {
    }

    /** @param optedOut the request carried {@code "dragon": {"cache": false}} */
    public static boolean eligible(SamplingParams params, boolean optedOut) {
        return !optedOut && (isGreedy(params) || params.seed() != null);
    }

    /** Sampling that picks the largest logit whatever the seed, top_p or temperature scaling. */
    static boolean isGreedy(SamplingParams params) {
        return params.temperature() == 0 || params.topK() == 1;
    }
}
