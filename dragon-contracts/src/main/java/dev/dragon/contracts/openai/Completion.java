package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Response of a non-streamed legacy completion ({@code object: "text_completion"}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Completion(String id, String object, long created, String model,
                         @JsonProperty("system_fingerprint") String systemFingerprint,
                         List<Choice> choices, Usage usage, DragonTrace dragon) {

    public static final String OBJECT = "text_completion";

    /** One choice: the completion text and why generation ended. */
    public record Choice(String text, int index,
                         @JsonInclude(JsonInclude.Include.ALWAYS) CompletionLogprobs logprobs,
                         @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }
}
