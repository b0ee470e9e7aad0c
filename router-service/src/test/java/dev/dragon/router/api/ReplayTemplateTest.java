package dev.dragon.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.openai.OpenAiJson;
import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.sampling.TokenLogprob;
import dev.dragon.router.error.ErrorMapping;
import dev.dragon.router.scheduling.TokenEvent;
import dev.dragon.router.testing.ShippedBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rendered replay, with the id and time spliced in, is byte-for-byte the fresh rendering of the same answer. */
class ReplayTemplateTest {

    private static final String ID = "chatcmpl-0123456789abcdef0123456789abcdef";
    private static final long CREATED = 1_765_000_000L;

    private final OpenAiJson json = new OpenAiJson();
    private final EventStreams streams = new EventStreams(json, new ErrorMapping(new SimpleMeterRegistry(), 3));
    private final TokenText text = new TokenText(ShippedBundle.tokenizer());

    /** Text that looks like the placeholders, as a model could write it. */
    private final List<TokenEvent> events = List.of(
            token(0, 10, "\"id\":\"chatcmpl-" + ReplayTemplate.ID_MARK + "\""),
            token(1, 11, "\"created\":0,"),
            token(2, 12, " and more"),
            new TokenEvent.Finished(new Completion("req-1", FinishReason.LENGTH, 5, 0, 3, "", "0", 0, 0, 0)));

    private ChatAssembly chat(String id, long created, boolean logprobs) {
        return new ChatAssembly(new ResponseMeta(id, created, "m", "fp"), text, logprobs, true);
    }

    @Test
    void aStreamReplay_equalsTheFreshFrames_withTheSplicedIdAndTime() {
        for (boolean usage : new boolean[] {true, false}) {
            String template = String.join("", streams.frames(events,
                    chat("chatcmpl-" + ReplayTemplate.ID_MARK, ReplayTemplate.CREATED_MARK, true), usage));
            String fresh = String.join("", streams.frames(events, chat(ID, CREATED, true), usage));

            ReplayTemplate replay = ReplayTemplate.of(template, "chatcmpl-");

            // equal only if every real placeholder was filled and the text imitating one was left alone
            assertThat(new String(replay.render(ID, CREATED), StandardCharsets.UTF_8)).isEqualTo(fresh);
        }
    }

    @Test
    void aWholeReplay_equalsTheFreshObject_withTheSplicedIdAndTime() {
        String template = json.writeString(EventStreams.whole(events,
                c -> chat("chatcmpl-" + ReplayTemplate.ID_MARK, ReplayTemplate.CREATED_MARK, false)));
        String fresh = json.writeString(EventStreams.whole(events, c -> chat(ID, CREATED, false)));

        ReplayTemplate replay = ReplayTemplate.of(template, "chatcmpl-");

        assertThat(new String(replay.render(ID, CREATED), StandardCharsets.UTF_8)).isEqualTo(fresh);
    }

    private static TokenEvent token(int index, int id, String text) {
        return new TokenEvent.Token(new GeneratedToken(index, id, text, -0.5f,
                List.of(new TokenLogprob(id, -0.5f)), new int[][] {{1, 2}, {3, 0}}));
    }
}
