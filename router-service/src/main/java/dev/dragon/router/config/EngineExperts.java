package dev.dragon.router.config;

import dev.dragon.core.bundle.ModelBundle;
import dev.dragon.core.expert.ExpertBackend;
import dev.dragon.core.expert.ExpertRunner;
import dev.dragon.core.expert.LocalExpertBackend;
import dev.dragon.core.runtime.OrtRuntime;

/**
 * The routed experts the engine calls: the dispatch layer's remote backend, or every expert of the bundle
 * in this process (local development, tests). Closes only what it created.
 */
public final class EngineExperts implements AutoCloseable {

    private final ExpertBackend backend;
    private final boolean inProcess;

    private EngineExperts(ExpertBackend backend, boolean inProcess) {
        this.backend = backend;
        this.inProcess = inProcess;
    }

    /** Uses {@code remote} (owned by its own bean). */
    static EngineExperts remote(ExpertBackend remote) {
        return new EngineExperts(remote, false);
    }

    /** Loads every routed expert of {@code bundle} into this process. */
    static EngineExperts inProcess(ModelBundle bundle, OrtRuntime runtime) {
        return new EngineExperts(new LocalExpertBackend(ExpertRunner.load(bundle, runtime, ExpertRunner.Selection.all())),
                true);
    }

    public ExpertBackend backend() {
        return backend;
    }

    public boolean isInProcess() {
        return inProcess;
    }

    @Override
    public void close() {
        if (inProcess) {
            backend.close();
        }
    }
}
