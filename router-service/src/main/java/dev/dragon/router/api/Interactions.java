package dev.dragon.router.api;

import dev.dragon.contracts.events.InteractionEvent;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.router.config.ServedModel;
import dev.dragon.router.events.EventPublisher;
import dev.dragon.router.scheduling.RecordedGeneration;
import dev.dragon.router.scheduling.TokenEvent;
import dev.dragon.router.warmup.RouterWarmUp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * One {@link InteractionEvent} per completed request (not cancelled, not failed; cache hits included: they
 * can be rated too), handed to the {@link EventPublisher} when one exists. Publishing only enqueues: it never
 * blocks or fails the response.
 */
final class Interactions {

    private final EventPublisher publisher;      // null: no events
    private final ServedModel model;
    private final Clock clock;

    Interactions(EventPublisher publisher, ServedModel model, Clock clock) {
        this.publisher = publisher;
        this.model = model;
        this.clock = clock;
    }

    /**
     * {@code events}, publishing the interaction once they completed.
     *
     * @param startMillis when the request was accepted (epoch milliseconds)
     */
    Flux<TokenEvent> observe(Flux<TokenEvent> events, String responseId, String requestId, String tenant,
                             int[] promptIds, long startMillis) {
        if (publisher == null || RouterWarmUp.TENANT.equals(tenant)) {
            return events;                             // the router's own warm-up requests teach nothing
        }
        return Flux.defer(() -> {
            List<GeneratedToken> tokens = new ArrayList<>();
            Completion[] end = new Completion[1];
            return events.doOnNext(e -> {
                switch (e) {
                    case TokenEvent.Token t -> tokens.add(t.token());
                    case TokenEvent.Finished f -> end[0] = f.completion();
                }
            }).doOnComplete(() -> {
                if (end[0] != null && end[0].reason() != FinishReason.CANCELLED) {
                    publish(responseId, requestId, tenant, promptIds, tokens, end[0], startMillis);
                }
            });
        });
    }

    /** Publishes the interaction of an answer sent whole from the near cache (it never was a stream of events). */
    void replayed(String responseId, String requestId, String tenant, int[] promptIds, RecordedGeneration recorded,
                  long startMillis) {
        if (publisher != null && !RouterWarmUp.TENANT.equals(tenant)) {
            publish(responseId, requestId, tenant, promptIds, recorded.tokens(), recorded.completion(), startMillis);
        }
    }

    private void publish(String responseId, String requestId, String tenant, int[] promptIds,
                         List<GeneratedToken> tokens, Completion end, long startMillis) {
        long now = clock.millis();
        publisher.publishInteraction(InteractionEvent.of(responseId, requestId, tenant, model.bundleName(),
                model.version(), end.adapterVersion(), promptIds, tokens.stream().mapToInt(GeneratedToken::token).toArray(),
                now - startMillis, experts(tokens), now));
    }

    /** {@code [token][layer][k]} when every token carries its experts, else null. */
    private static int[][][] experts(List<GeneratedToken> tokens) {
        if (tokens.isEmpty() || tokens.stream().anyMatch(t -> t.experts() == null)) {
            return null;
        }
        return tokens.stream().map(GeneratedToken::experts).toArray(int[][][]::new);
    }
}
