package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One Server-Sent Event of a streamed legacy completion (OpenAI uses {@code object: "text_completion"} for
 * chunks too): text pieces, then one with {@code finish_reason}, and with {@code include_usage} a last one
 * with {@code choices: []} and {@code usage}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionChunk(String id, String object, long created, String model,
                              @JsonProperty("system_fingerprint") String systemFingerprint,
                              List<Completion.Choice> choices, Usage usage, DragonTokenTrace dragon) {

    public static final String OBJECT = Completion.OBJECT;
}
