package dev.dragon.core.engine;

import dev.dragon.core.gating.Routing;
import dev.dragon.core.model.StepProfile;

/** Hooks for metrics; every method is called on the engine thread and must be cheap. */
public interface EngineObserver {

    EngineObserver NONE = new EngineObserver() { };

    /** A model step ran: {@code prefill} or {@code decode}, its batch size, new tokens and duration. */
    default void onStep(boolean prefill, int batch, int tokens, long nanos) {
    }

    /**
     * A decode step ended (tokens sampled and handed to their sinks): its time by stage. The profile is reused
     * for the next step; read it now, do not keep it.
     */
    default void onDecodeProfile(StepProfile profile) {
    }

    /** A request got a slot after waiting {@code queueNanos}. */
    default void onAdmitted(long queueNanos) {
    }

    /** A request produced its first token {@code nanos} after submission. */
    default void onFirstToken(long nanos) {
    }

    /** A request produced a later token {@code nanos} after its previous one. */
    default void onInterToken(long nanos) {
    }

    default void onFinished(Completion completion) {
    }

    default void onFailed(EngineException error) {
    }

    default void onRouting(int layer, Routing routing) {
    }
}
