package dev.dragon.contracts.openai;

import java.util.List;

/** The parameters that {@link ChatCompletionRequest} and {@link CompletionRequest} share; null means "not given". */
public interface GenerationParameters {

    String model();

    Double temperature();

    Double topP();

    Integer n();

    Boolean stream();

    StreamOptions streamOptions();

    List<String> stop();

    Long seed();

    String user();

    DragonOptions dragon();

    /** The requested completion length, or null for the server's default. */
    Integer requestedMaxTokens();

    /** The wire name of the field {@link #requestedMaxTokens()} came from (for error messages). */
    String maxTokensParam();

    /** Whether chosen-token logprobs are requested. */
    boolean wantsLogprobs();

    /** Alternatives per token to report (0 = none). */
    int topLogprobCount();

    default boolean streaming() {
        return Boolean.TRUE.equals(stream());
    }

    default boolean includeUsage() {
        return streamOptions() != null && Boolean.TRUE.equals(streamOptions().includeUsage());
    }

    default DragonOptions dragonOrDefault() {
        return dragon() != null ? dragon() : new DragonOptions(null, null, null);
    }
}
