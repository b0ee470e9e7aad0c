package dev.dragon.core.expert;

import java.util.concurrent.CompletableFuture;

/** Every routed expert in this process: the reference {@link ExpertBackend}. */
public final class LocalExpertBackend implements ExpertBackend {

    private final ExpertRunner runner;

    public LocalExpertBackend(ExpertRunner runner) {
        this.runner = runner;
    }

    @Override
    public CompletableFuture<ExpertResult> submit(ExpertBatch batch) {
        float[] out = new float[batch.totalRows() * batch.dModel()];
        for (int i = 0; i < batch.experts().length; i++) {
            runner.run(batch.layer(), batch.experts()[i], batch.input(), batch.offsets()[i], batch.rows(i), out);
        }
        return CompletableFuture.completedFuture(ExpertResult.complete(out));
    }

    @Override
    public void close() {
        runner.close();
    }
}
