package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The chosen token of one position in chat {@code logprobs.content}, with its alternatives. */
public record TokenLogprobEntry(String token, double logprob, List<Integer> bytes,
                                @JsonProperty("top_logprobs") List<TopLogprob> topLogprobs) {
}
