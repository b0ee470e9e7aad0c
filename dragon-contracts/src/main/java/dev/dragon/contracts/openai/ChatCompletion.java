package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Response of a non-streamed chat completion ({@code object: "chat.completion"}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(String id, String object, long created, String model,
                             @JsonProperty("system_fingerprint") String systemFingerprint,
                             List<Choice> choices, Usage usage, DragonTrace dragon) {

    public static final String OBJECT = "chat.completion";

    /** One choice: the assistant message and why generation ended. */
    public record Choice(int index, ChatMessage message,
                         @JsonInclude(JsonInclude.Include.ALWAYS) ChatLogprobs logprobs,
                         @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }
}
