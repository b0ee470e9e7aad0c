package dev.dragon.core.engine;

import dev.dragon.core.sampling.TokenLogprob;
import java.util.List;

/**
 * One generated token as it streams.
 *
 * @param index       0-based position in the completion
 * @param token       token id
 * @param text        text released by this token: may be empty while an incomplete UTF-8 sequence or a
 *                    possible stop-sequence prefix is held back
 * @param logprob     log-probability of the token (NaN unless the request asked for logprobs)
 * @param topLogprobs alternatives when requested, else empty
 * @param experts     {@code [layers][k]} routed experts that produced it, when requested, else null
 */
public record GeneratedToken(int index, int token, String text, float logprob, List<TokenLogprob> topLogprobs,
                             int[][] experts) {
}
