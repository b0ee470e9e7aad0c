package dev.dragon.gateway.ratelimit;

/**
 * What a generation request may cost, estimated on entry.
 *
 * @param promptTokens     estimated prompt tokens (characters / {@code dragon.gateway.limits.chars-per-token})
 * @param maxCompletion    the request's {@code max_tokens}, or the plan's cap when it gives none
 * @param streaming        {@code stream: true}
 * @param clientWantsUsage the client asked for the usage chunk ({@code stream_options.include_usage})
 */
public record TokenDemand(long promptTokens, long maxCompletion, boolean streaming, boolean clientWantsUsage) {

    /** Exchange attribute holding the {@link TokenDemand} of a generation request. */
    public static final String ATTRIBUTE = TokenDemand.class.getName();

    public long reserved() {
        return promptTokens + maxCompletion;
    }
}
