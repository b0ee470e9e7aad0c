package dev.dragon.core.engine;

/**
 * Receives a generation as it happens. Called on the engine thread: implementations must return
 * quickly and never block (hand off to a queue or a reactive sink). Exactly one of
 * {@link #onFinish} or {@link #onError} ends the stream.
 */
public interface TokenSink {

    void onToken(GeneratedToken token);

    void onFinish(Completion completion);

    void onError(EngineException error);
}
