package dev.dragon.core.engine;

/**
 * The end of a generation.
 *
 * @param requestId        the request's id
 * @param reason           why it ended
 * @param promptTokens     prompt length in tokens
 * @param cachedTokens     prompt tokens restored from a cached KV state instead of prefilled
 * @param completionTokens tokens generated (a stop token counts)
 * @param tailText         text released only at the end (held-back bytes or stop-prefix text)
 * @param adapterVersion   PC adapter version used from the first to the last token
 * @param queueNanos       time waiting for a slot
 * @param firstTokenNanos  submit to first token (TTFT), 0 when none was generated
 * @param totalNanos       submit to finish
 */
public record Completion(String requestId, FinishReason reason, int promptTokens, int cachedTokens, int completionTokens,
                         String tailText, String adapterVersion, long queueNanos, long firstTokenNanos,
                         long totalNanos) {
}
