package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}. Boxed fields are null when absent. {@code stop} is a string or an
 * array of strings; {@code n} must be 1; {@code max_completion_tokens} wins over the older {@code max_tokens}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Integer n,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs,
        String user,
        DragonOptions dragon) implements GenerationParameters {

    /** A minimal request: model and messages. */
    public static ChatCompletionRequest of(String model, List<ChatMessage> messages) {
        return new ChatCompletionRequest(model, messages, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    @Override
    public Integer requestedMaxTokens() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    @Override
    public String maxTokensParam() {
        return maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
    }

    @Override
    public boolean wantsLogprobs() {
        return Boolean.TRUE.equals(logprobs);
    }

    @Override
    public int topLogprobCount() {
        return topLogprobs == null ? 0 : topLogprobs;
    }
}
