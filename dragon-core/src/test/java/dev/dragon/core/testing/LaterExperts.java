package dev.dragon.core.testing;

import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertBatch;
import dev.dragon.core.expert.ExpertResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process experts answered on one other thread, each batch 3 ms late, like a slow remote group: a forward
 * pass that overlaps micro-batches then has several batches in flight at once, which {@link #maxInFlight()} shows
 * (the engine's attention and gate for a few rows between two submissions take well under a millisecond).
 */
public final class LaterExperts implements ExpertBackend {

    private final ExpertBackend delegate;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "later-experts");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public LaterExperts(ExpertBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<ExpertResult> submit(ExpertBatch batch) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return CompletableFuture.supplyAsync(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(3);        // ≫ the engine's work between two submissions
                return delegate.submit(batch).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }, worker);
    }

    /** The most batches that were submitted and not yet answered at one time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
