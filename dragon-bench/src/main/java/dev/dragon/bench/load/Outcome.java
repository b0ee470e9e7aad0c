package dev.dragon.bench.load;

/**
 * What one request cost, measured by the client.
 *
 * @param ttftNanos      submit → first generated token
 * @param totalNanos     submit → last token
 * @param tokens         completion tokens received
 * @param promptTokens   prompt tokens (as the server counted them; 0 if unknown)
 * @param failed         the request failed (no tokens counted)
 * @param cachedTokens   prompt tokens the server says it restored from the KV-state cache instead of prefilling
 *                       ({@code usage.prompt_tokens_details.cached_tokens}); -1 if unknown
 */
public record Outcome(long ttftNanos, long totalNanos, int tokens, int promptTokens, boolean failed, int cachedTokens) {

    /** Without a report of cached prompt tokens. */
    public Outcome(long ttftNanos, long totalNanos, int tokens, int promptTokens, boolean failed) {
        this(ttftNanos, totalNanos, tokens, promptTokens, failed, -1);
    }

    public static Outcome failure(long totalNanos) {
        return new Outcome(0, totalNanos, 0, 0, true);
    }

    /** Mean time between two tokens of this request, or -1 with fewer than two tokens. */
    public double interTokenNanos() {
        return tokens < 2 ? -1 : (double) (totalNanos - ttftNanos) / (tokens - 1);
    }
}
