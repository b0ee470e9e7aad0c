package dev.dragon.router.scheduling;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.GeneratedToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A finished generation as the response cache stores it: the engine's events themselves (every token with its
 * text, logprobs and experts, then the completion), not a rendered response. A hit is replayed through the same
 * assembly as a fresh answer, so it comes back in whichever framing the request asks for (JSON or SSE, with or
 * without usage), byte-for-byte the framing of a fresh answer; only the response id and timestamp are new.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}; an entry of another version is treated as a miss
 * @param tokens        the generated tokens, in order
 * @param completion    how it ended (never {@link FinishReason#CANCELLED})
 */
public record RecordedGeneration(int schemaVersion, List<GeneratedToken> tokens, Completion completion) {

    public static final int SCHEMA_VERSION = 1;
    /** Content type of a stored entry (the body is opaque to cache-service). */
    public static final String CONTENT_TYPE = "application/vnd.dragon.generation+json;v=" + SCHEMA_VERSION;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public RecordedGeneration {
        tokens = List.copyOf(tokens);
    }

    /** Records one generation's events as they pass; {@link #finished()} is present once it ended completely. */
    static final class Recorder {
        private final List<GeneratedToken> tokens = new ArrayList<>();
        private Completion completion;

        void add(TokenEvent event) {
            switch (event) {
                case TokenEvent.Token t -> tokens.add(t.token());
                case TokenEvent.Finished f -> completion = f.completion();
            }
        }

        Optional<RecordedGeneration> finished() {
            return completion == null || completion.reason() == FinishReason.CANCELLED ? Optional.empty()
                    : Optional.of(new RecordedGeneration(SCHEMA_VERSION, tokens, completion));
        }
    }

    public byte[] encode() {
        return JSON.writeValueAsBytes(this);
    }

    /** The entry stored under {@code contentType}, or empty when it is of another schema or unreadable. */
    public static Optional<RecordedGeneration> decode(byte[] body, String contentType) {
        if (!CONTENT_TYPE.equals(contentType)) {
            return Optional.empty();
        }
        try {
            RecordedGeneration r = JSON.readValue(body, RecordedGeneration.class);
            return r.schemaVersion() == SCHEMA_VERSION && r.completion() != null ? Optional.of(r) : Optional.empty();
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The events again, as request {@code requestId}: nothing prefilled or generated, so no timings. */
    public Flux<TokenEvent> replay(String requestId) {
        return Flux.fromIterable(events(requestId));
    }

    /** {@link #replay}'s events, as a list. */
    public List<TokenEvent> events(String requestId) {
        Completion c = completion;
        Completion replayed = new Completion(requestId, c.reason(), c.promptTokens(), 0, c.completionTokens(),
                c.tailText(), c.adapterVersion(), 0, 0, 0);
        List<TokenEvent> events = new ArrayList<>(tokens.size() + 1);
        tokens.forEach(t -> events.add(new TokenEvent.Token(t)));
        events.add(new TokenEvent.Finished(replayed));
        return events;
    }
}
