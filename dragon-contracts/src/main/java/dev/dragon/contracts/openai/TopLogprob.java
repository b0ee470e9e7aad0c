package dev.dragon.contracts.openai;

import java.util.List;

/** One alternative token of a chat logprobs entry: its text, log-probability and UTF-8 bytes. */
public record TopLogprob(String token, double logprob, List<Integer> bytes) {
}
