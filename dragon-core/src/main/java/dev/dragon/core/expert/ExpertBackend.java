package dev.dragon.core.expert;

import java.util.concurrent.CompletableFuture;

/**
 * Computes the routed experts of one layer for a batch of rows. The forward pass submits a batch,
 * runs the shared expert meanwhile, then combines; an implementation may compute in place
 * ({@link LocalExpertBackend}) or call remote expert groups in parallel (router-service).
 *
 * <p>An implementation never completes the future exceptionally for an expert it cannot reach: it
 * reports it in {@link ExpertResult#failures()} so that only the sequences that need it fail.
 */
public interface ExpertBackend extends AutoCloseable {

    CompletableFuture<ExpertResult> submit(ExpertBatch batch);

    @Override
    default void close() {
    }
}
