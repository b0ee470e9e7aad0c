package dev.dragon.contracts.openai;

import java.util.List;

/** {@code choices[].logprobs} of a chat completion or chunk: one entry per token. */
public record ChatLogprobs(List<TokenLogprobEntry> content) {
}
