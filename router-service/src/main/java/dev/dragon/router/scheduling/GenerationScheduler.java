package dev.dragon.router.scheduling;

import dev.dragon.core.engine.EngineClosedException;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.ExpertUnavailableException;
import dev.dragon.core.engine.GenerationHandle;
import dev.dragon.core.engine.GenerationRequest;
import dev.dragon.core.engine.LocalEngine;
import dev.dragon.core.engine.PrefixCache;
import dev.dragon.core.engine.QueueFullException;
import dev.dragon.router.error.ExpertsUnavailableException;
import dev.dragon.router.error.GenerationFailedException;
import dev.dragon.router.error.OverloadedException;
import dev.dragon.router.error.RouterException;
import dev.dragon.router.error.ShuttingDownException;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Submits generations to the {@link LocalEngine} and streams them back. Submission happens on subscription;
 * cancelling the subscription (the client went away) cancels the generation so its KV slot is freed at the
 * next step. Events are delivered on {@code delivery}, never on the engine thread. Engine failures arrive as
 * the router's exceptions: a full queue as {@link OverloadedException}, unreachable experts as
 * {@link ExpertsUnavailableException}.
 */
public final class GenerationScheduler {

    private final LocalEngine engine;
    private final Scheduler delivery;

    public GenerationScheduler(LocalEngine engine, Scheduler delivery) {
        this.engine = engine;
        this.delivery = delivery;
    }

    public LocalEngine engine() {
        return engine;
    }

    /** A cold stream: each subscription submits one generation with id {@code requestId}. */
    public Flux<TokenEvent> generate(String requestId, PreparedGeneration generation) {
        return generate(requestId, generation, null);
    }

    /**
     * As {@link #generate(String, PreparedGeneration)}, restoring and/or capturing the prompt prefix's KV state
     * through {@code prefixCache} (null: prefill the whole prompt, capture nothing).
     */
    public Flux<TokenEvent> generate(String requestId, PreparedGeneration generation, PrefixCache prefixCache) {
        return Flux.defer(() -> {
            FluxTokenSink sink = new FluxTokenSink();
            GenerationHandle handle;
            try {
                handle = engine.submit(new GenerationRequest(requestId, generation.promptIds(),
                        generation.stopTokenIds(), generation.sampling(), generation.includeExperts(), sink, prefixCache));
            } catch (EngineException e) {
                return Flux.error(translate(e));
            }
            return sink.flux()
                    .publishOn(delivery)
                    .onErrorMap(EngineException.class, GenerationScheduler::translate)
                    .doOnCancel(handle::cancel);
        });
    }

    static RouterException translate(EngineException e) {
        return switch (e) {
            case QueueFullException q -> new OverloadedException(q);
            case ExpertUnavailableException x -> new ExpertsUnavailableException(x.failures(), x);
            case EngineClosedException c -> new ShuttingDownException(c);
            default -> new GenerationFailedException(e);
        };
    }
}
