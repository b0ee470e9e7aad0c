package dev.dragon.core.engine;

import java.util.concurrent.CompletableFuture;

/** A submitted generation: cancel it, or wait for its end. */
public final class GenerationHandle {

    private final Sequence sequence;

    GenerationHandle(Sequence sequence) {
        this.sequence = sequence;
    }

    public String id() {
        return sequence.request().id();
    }

    /** Stops the generation at the next step and frees its slot; idempotent. */
    public void cancel() {
        sequence.requestCancel();
    }

    /** Completes with the {@link Completion}, or exceptionally with an {@link EngineException}. */
    public CompletableFuture<Completion> completion() {
        return sequence.completion();
    }
}
