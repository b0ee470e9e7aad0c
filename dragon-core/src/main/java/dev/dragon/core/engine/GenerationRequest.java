package dev.dragon.core.engine;

import dev.dragon.core.sampling.SamplingParams;
import java.util.Objects;

/**
 * One generation.
 *
 * @param id             request id (for logs and the completion)
 * @param promptIds      prompt token ids (from the chat template or a completion prompt)
 * @param stopTokenIds   token ids that end the generation (not emitted)
 * @param sampling       sampling parameters
 * @param includeExperts report the routed experts of every generated token
 * @param sink           where tokens go
 * @param prefixCache    KV-state reuse for the prompt prefix, or null
 */
public record GenerationRequest(String id, int[] promptIds, int[] stopTokenIds, SamplingParams sampling,
                                boolean includeExperts, TokenSink sink, PrefixCache prefixCache) {

    public GenerationRequest(String id, int[] promptIds, int[] stopTokenIds, SamplingParams sampling,
                             boolean includeExperts, TokenSink sink) {
        this(id, promptIds, stopTokenIds, sampling, includeExperts, sink, null);
    }

    public GenerationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(sink, "sink");
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt must hold at least one token");
        }
        if (prefixCache != null && (prefixCache.restoredTokens() >= promptIds.length
                || prefixCache.lastCapturePoint() >= promptIds.length)) {
            throw new IllegalArgumentException("a cached or captured prefix must leave at least one prompt token");
        }
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
        promptIds = promptIds.clone();
    }
}
