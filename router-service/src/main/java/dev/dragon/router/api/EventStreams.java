package dev.dragon.router.api;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.core.engine.Completion;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.router.scheduling.TokenEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a generation's events into Server-Sent Events framed exactly as OpenAI does ({@code data: <json>\n\n}
 * per chunk, {@code data: [DONE]\n\n} last), or into one whole response object.
 *
 * <p>A failure before the first event (full queue, experts unavailable during prefill) surfaces as an error
 * of the returned stream before any byte is produced, so the caller can still answer with a plain status.
 * A failure after streaming started becomes an error event ({@code data: {"error": {...}}}) followed by
 * {@code [DONE]}.
 */
final class EventStreams {

    static final String DONE = "data: [DONE]\n\n";

    private final OpenAiJson json;
    private final ErrorMapping errors;

    EventStreams(OpenAiJson json, ErrorMapping errors) {
        this.json = json;
        this.errors = errors;
    }

    /**
     * SSE frames of {@code events}. {@code atFirstEvent} runs once, when the first event arrives and before the
     * first frame: it sets the response headers and builds the assembly (the PC adapter is known by then).
     */
    Flux<String> sse(Flux<TokenEvent> events, Supplier<ResponseAssembly> atFirstEvent, boolean includeUsage) {
        return events.switchOnFirst((first, all) -> {
            if (first.hasError()) {
                return Flux.error(first.getThrowable());   // nothing sent yet: a plain error response
            }
            ResponseAssembly assembly = atFirstEvent.get();
            return Flux.fromIterable(assembly.opening())
                    .concatWith(all.concatMapIterable(e -> chunks(assembly, e, includeUsage)))
                    .map(this::frame)
                    .concatWith(Mono.just(DONE))
                    .onErrorResume(e -> Flux.just(frame(errors.map(e).body()), DONE));
        });
    }

    /** The whole response once the generation ended; {@code atEnd} builds the assembly from the completion. */
    Mono<Object> whole(Flux<TokenEvent> events, Function<Completion, ResponseAssembly> atEnd) {
        return events.collectList().map(list -> whole(list, atEnd));
    }

    /** The whole response of a finished generation's events, at once (a replay). */
    static Object whole(List<TokenEvent> events, Function<Completion, ResponseAssembly> atEnd) {
        if (events.isEmpty() || !(events.getLast() instanceof TokenEvent.Finished finished)) {
            throw new IllegalStateException("a generation ended without its completion");
        }
        ResponseAssembly assembly = atEnd.apply(finished.completion());
        events.forEach(e -> {
            if (e instanceof TokenEvent.Token t) {
                assembly.onToken(t.token());
            }
        });
        return assembly.whole(finished.completion());
    }

    /** Every SSE frame of a finished generation's events, at once (a replay): what {@link #sse} sends. */
    List<String> frames(List<TokenEvent> events, ResponseAssembly assembly, boolean includeUsage) {
        List<String> out = new ArrayList<>();
        assembly.opening().forEach(c -> out.add(frame(c)));
        for (TokenEvent e : events) {
            chunks(assembly, e, includeUsage).forEach(c -> out.add(frame(c)));
        }
        out.add(DONE);
        return out;
    }

    String frame(Object chunk) {
        return "data: " + json.writeString(chunk) + "\n\n";
    }

    private static List<Object> chunks(ResponseAssembly assembly, TokenEvent event, boolean includeUsage) {
        return switch (event) {
            case TokenEvent.Token t -> {
                Object chunk = assembly.onToken(t.token());
                yield chunk == null ? List.of() : List.of(chunk);
            }
            case TokenEvent.Finished f -> new ArrayList<>(assembly.onFinished(f.completion(), includeUsage));
        };
    }
}
