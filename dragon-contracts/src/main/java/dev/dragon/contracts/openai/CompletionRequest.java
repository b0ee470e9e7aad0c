package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /v1/completions} (the legacy text completion API). {@code prompt} is one string;
 * {@code logprobs} is the number of alternatives per token (0..5), as in the OpenAI API.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionRequest(
        String model,
        String prompt,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        Integer n,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> stop,
        Long seed,
        Integer logprobs,
        String user,
        DragonOptions dragon) implements GenerationParameters {

    /** A minimal request: model and prompt. */
    public static CompletionRequest of(String model, String prompt) {
        return new CompletionRequest(model, prompt, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public Integer requestedMaxTokens() {
        return maxTokens;
    }

    @Override
    public String maxTokensParam() {
        return "max_tokens";
    }

    @Override
    public boolean wantsLogprobs() {
        return logprobs != null;
    }

    @Override
    public int topLogprobCount() {
        return logprobs == null ? 0 : logprobs;
    }
}
