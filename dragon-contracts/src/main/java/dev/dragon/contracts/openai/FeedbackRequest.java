package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/feedback}: a rating of an earlier response, optionally with the completion it should have been.
 *
 * @param responseId          the {@code id} of the rated response ({@code chatcmpl-...} or {@code cmpl-...})
 * @param rating              -1 (bad), 0 (neutral) or 1 (good)
 * @param correctedCompletion optional: the text the completion should have been
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackRequest(@JsonProperty("response_id") String responseId, Integer rating,
                              @JsonProperty("corrected_completion") String correctedCompletion) {
}
