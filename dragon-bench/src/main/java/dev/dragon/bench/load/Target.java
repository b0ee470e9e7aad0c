package dev.dragon.bench.load;

/** Something that serves the workload's requests: blocking, safe to call from several threads. */
public interface Target extends AutoCloseable {

    String name();

    Outcome run(Workload.Request request);

    /** Concurrency levels this target is run at (PyTorch eager serves one request at a time). */
    default int[] concurrencies(int[] requested) {
        return requested;
    }

    @Override
    void close();
}
