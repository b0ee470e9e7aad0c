package dev.dragon.router.config;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.runtime.OrtRuntime;
import java.util.function.LongSupplier;

/**
 * The routed experts the engine calls: the dispatch layer's remote backend, or every expert of the bundle
 * in this process (local development, tests). Closes only what it created.
 */
public final class EngineExperts implements AutoCloseable {

    private final ExpertBackend backend;
    private final boolean inProcess;
    private final LongSupplier dispatchWaitNanos;

    private EngineExperts(ExpertBackend backend, boolean inProcess, LongSupplier dispatchWaitNanos) {
        this.backend = backend;
        this.inProcess = inProcess;
        this.dispatchWaitNanos = dispatchWaitNanos;
    }

    /**
     * Uses {@code remote} (owned by its own bean).
     *
     * @param dispatchWaitNanos cumulative time the engine has waited on {@code remote}
     */
    static EngineExperts remote(ExpertBackend remote, LongSupplier dispatchWaitNanos) {
        return new EngineExperts(remote, false, dispatchWaitNanos);
    }

    /** Loads every routed expert of {@code bundle} into this process. */
    static EngineExperts inProcess(ModelBundle bundle, OrtRuntime runtime) {
        return new EngineExperts(new LocalExpertBackend(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all())),
                true, () -> 0L);
    }

    public ExpertBackend backend() {
        return backend;
    }

    public boolean isInProcess() {
        return inProcess;
    }

    /** Cumulative nanoseconds the engine has waited on expert dispatch; always 0 in process. */
    public LongSupplier dispatchWaitNanos() {
        return dispatchWaitNanos;
    }

    @Override
    public void close() {
        if (inProcess) {
            backend.close();
        }
    }
}
