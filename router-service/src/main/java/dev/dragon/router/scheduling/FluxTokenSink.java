package dev.dragon.router.scheduling;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.EngineException;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.engine.TokenSink;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Bridges the engine's callbacks (on the engine thread) to a {@link Flux}: every callback only enqueues into
 * an unbounded unicast buffer, so the engine never blocks on a slow client; once the subscriber has
 * cancelled, emissions are dropped.
 */
final class FluxTokenSink implements TokenSink {

    private final Sinks.Many<TokenEvent> events = Sinks.many().unicast().onBackpressureBuffer();

    Flux<TokenEvent> flux() {
        return events.asFlux();
    }

    @Override
    public void onToken(GeneratedToken token) {
        events.tryEmitNext(new TokenEvent.Token(token));
    }

    @Override
    public void onFinish(Completion completion) {
        events.tryEmitNext(new TokenEvent.Finished(completion));
        events.tryEmitComplete();
    }

    @Override
    public void onError(EngineException error) {
        events.tryEmitError(error);
    }
}
