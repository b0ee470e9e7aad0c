package dev.dragon.core.engine;

/**
 * Scheduling limits of a {@link LocalEngine}.
 *
 * @param maxBatch             sequences decoded together (KV slots)
 * @param maxQueue             requests waiting for a slot before {@link QueueFullException}
 * @param prefillTokensPerStep prompt tokens prefilled between two decode steps (chunked prefill keeps
 *                             inter-token latency of running sequences bounded while long prompts arrive)
 */
public record EngineOptions(int maxBatch, int maxQueue, int prefillTokensPerStep) {

    public EngineOptions {
        if (maxBatch < 1 || maxQueue < 1 || prefillTokensPerStep < 1) {
            throw new IllegalArgumentException("maxBatch, maxQueue and prefillTokensPerStep must be >= 1");
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(32, 256, 256);
    }
}
