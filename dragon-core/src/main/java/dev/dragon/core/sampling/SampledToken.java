package dev.dragon.core.sampling;

import java.util.List;

/**
 * The sampler's choice for one position.
 *
 * @param token       chosen token id
 * @param logprob     its log-probability under the unfiltered distribution at temperature 1 (NaN unless the
 *                    request asked for logprobs)
 * @param topLogprobs the most likely tokens, descending (empty unless logprobs with top_logprobs > 0)
 */
public record SampledToken(int token, float logprob, List<TokenLogprob> topLogprobs) {

    public SampledToken {
        topLogprobs = List.copyOf(topLogprobs);
    }
}
