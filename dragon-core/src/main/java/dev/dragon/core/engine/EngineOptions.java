package dev.dragon.core.engine;

/**
 * Scheduling limits of a {@link LocalEngine}.
 *
 * @param maxBatch             sequences decoded together (KV slots)
 * @param maxQueue             requests waiting for a slot before {@link QueueFullException}
 * @param prefillTokensPerStep prompt tokens prefilled between two decode steps (chunked prefill keeps
 *                             inter-token latency of running sequences bounded while long prompts arrive)
 * @param microBatches         a decode step runs as up to this many staggered micro-batches, so that one's
 *                             remote experts are computed while the engine runs another's attention
 *                             ({@link dev.dragon.core.model.ForwardPass}); 1 turns the overlap off
 * @param minRowsPerMicroBatch a step is split only while every micro-batch keeps at least this many rows
 *                             (each one costs an ORT run per graph and a call per expert group and layer)
 */
public record EngineOptions(int maxBatch, int maxQueue, int prefillTokensPerStep, int microBatches,
                            int minRowsPerMicroBatch) {

    public EngineOptions {
        if (maxBatch < 1 || maxQueue < 1 || prefillTokensPerStep < 1 || microBatches < 1 || minRowsPerMicroBatch < 1) {
            throw new IllegalArgumentException(
                    "maxBatch, maxQueue, prefillTokensPerStep, microBatches and minRowsPerMicroBatch must be >= 1");
        }
    }

    /** One micro-batch per step: right for in-process experts, where there is no remote work to hide. */
    public EngineOptions(int maxBatch, int maxQueue, int prefillTokensPerStep) {
        this(maxBatch, maxQueue, prefillTokensPerStep, 1, 1);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(32, 256, 256);
    }
}
