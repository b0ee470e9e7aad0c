package dev.dragon.contracts.openai;

/**
 * Server policy that request validation checks against.
 *
 * @param maxTokensCap     largest {@code max_tokens} / {@code max_completion_tokens} accepted
 * @param maxStopSequences most {@code stop} strings accepted
 */
public record RequestLimits(int maxTokensCap, int maxStopSequences) {

    /** Most alternatives per token of chat {@code top_logprobs}. */
    public static final int MAX_TOP_LOGPROBS = 20;
    /** Most alternatives per token of the legacy completion {@code logprobs}. */
    public static final int MAX_COMPLETION_LOGPROBS = 5;

    public RequestLimits {
        if (maxTokensCap < 1 || maxStopSequences < 0) {
            throw new IllegalArgumentException("need maxTokensCap >= 1 and maxStopSequences >= 0");
        }
    }
}
