package dev.dragon.router.scheduling;

import dev.dragon.core.sampling.SamplingParams;

/**
 * A validated request in the engine's terms.
 *
 * @param promptIds      prompt token ids (chat template applied)
 * @param stopTokenIds   token ids that end the generation (none with {@code dragon.ignore_eos})
 * @param sampling       sampling parameters, {@code max_tokens} included
 * @param includeExperts whether each token reports its routed experts
 */
public record PreparedGeneration(int[] promptIds, int[] stopTokenIds, SamplingParams sampling, boolean includeExperts) {

    public PreparedGeneration {
        promptIds = promptIds.clone();
        stopTokenIds = stopTokenIds.clone();
    }

    public int promptTokens() {
        return promptIds.length;
    }
}
