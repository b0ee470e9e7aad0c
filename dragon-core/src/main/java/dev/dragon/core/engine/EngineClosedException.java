package dev.dragon.core.engine;

/** The engine was shut down before the request finished. */
public final class EngineClosedException extends EngineException {

    public EngineClosedException() {
        super("the engine is shut down");
    }
}
