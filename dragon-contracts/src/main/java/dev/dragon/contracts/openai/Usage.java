package dev.dragon.contracts.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Token counts of one request, with OpenAI's {@code prompt_tokens_details.cached_tokens}: the prompt tokens
 * that were not prefilled because their KV state was restored from the cache (so a client can tell a
 * restored prompt from a cold one).
 */
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                    @JsonProperty("completion_tokens") int completionTokens,
                    @JsonProperty("total_tokens") int totalTokens,
                    @JsonProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails) {

    /** @param cachedTokens prompt tokens restored from the KV-state cache (0: all prefilled) */
    public record PromptTokensDetails(@JsonProperty("cached_tokens") int cachedTokens) {
    }

    public static Usage of(int promptTokens, int completionTokens) {
        return of(promptTokens, completionTokens, 0);
    }

    public static Usage of(int promptTokens, int completionTokens, int cachedTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens,
                new PromptTokensDetails(cachedTokens));
    }
}
