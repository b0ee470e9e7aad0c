package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One Server-Sent Event of a streamed chat completion ({@code object: "chat.completion.chunk"}): the first
 * carries {@code delta.role}, then content deltas, then one with {@code finish_reason}, and with
 * {@code stream_options.include_usage} a last one with {@code choices: []} and {@code usage}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(String id, String object, long created, String model,
                                  @JsonProperty("system_fingerprint") String systemFingerprint,
                                  List<Choice> choices, Usage usage, DragonTokenTrace dragon) {

    public static final String OBJECT = "chat.completion.chunk";

    /** The change to one choice. */
    public record Choice(int index, Delta delta,
                         @JsonInclude(JsonInclude.Include.ALWAYS) ChatLogprobs logprobs,
                         @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }

    /** New role and/or content; empty ({@code {}}) on the finish chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }
}
