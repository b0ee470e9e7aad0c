package dev.dragon.core.engine;

/** Base of the engine's exceptions; each says what a client can do about it. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
