package dev.dragon.core.engine;

/** Why a generation ended. */
public enum FinishReason {
    /** A stop token or stop sequence. */
    STOP("stop"),
    /** {@code max_tokens} or the position limit. */
    LENGTH("length"),
    /** The client went away or cancelled. */
    CANCELLED("cancelled");

    private final String openAiName;

    FinishReason(String openAiName) {
        this.openAiName = openAiName;
    }

    /** The {@code finish_reason} string of the OpenAI API. */
    public String openAiName() {
        return openAiName;
    }
}
