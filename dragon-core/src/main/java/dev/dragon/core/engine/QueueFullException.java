package dev.dragon.core.engine;

/** The engine's waiting queue is full: retry later (HTTP 429). */
public final class QueueFullException extends EngineException {

    public QueueFullException(int capacity) {
        super("the engine queue is full (" + capacity + " waiting requests); retry later");
    }
}
