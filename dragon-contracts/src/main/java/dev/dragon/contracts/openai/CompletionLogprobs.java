package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code choices[].logprobs} of the legacy completion API: parallel lists per token.
 *
 * @param textOffset character offset of each token in the completion text
 */
public record CompletionLogprobs(List<String> tokens,
                                 @JsonProperty("token_logprobs") List<Double> tokenLogprobs,
                                 @JsonProperty("top_logprobs") List<Map<String, Double>> topLogprobs,
                                 @JsonProperty("text_offset") List<Integer> textOffset) {
}
