package dev.dragon.router.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.engine.Completion;
import dev.dragon.core.engine.FinishReason;
import dev.dragon.core.engine.GeneratedToken;
import dev.dragon.core.sampling.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recorded generation survives the trip through the response cache (every token field, the completion), is
 * replayed as the same events under the new request's id, and only complete generations are recorded.
 */
class RecordedGenerationTest {

    private static final GeneratedToken FIRST = new GeneratedToken(0, 17, "Hel", -0.25f,
            List.of(new TokenLogprob(17, -0.25f), new TokenLogprob(9, -1.75f)), new int[][] {{1, 4}, {0, 7}});
    private static final GeneratedToken SECOND = new GeneratedToken(1, 301, "", Float.NaN, List.of(), null); // logprobs not asked
    private static final Completion DONE = new Completion("req-1", FinishReason.LENGTH, 12, 0, 2, "lo", "3",
            1_000, 2_000, 3_000);

    private static RecordedGeneration.Recorder record(TokenEvent... events) {
        RecordedGeneration.Recorder recorder = new RecordedGeneration.Recorder();
        for (TokenEvent e : events) {
            recorder.add(e);
        }
        return recorder;
    }

    @Test
    void encodedAndDecoded_replaysTheSameEvents_underTheNewRequestId() {
        RecordedGeneration recorded = record(new TokenEvent.Token(FIRST), new TokenEvent.Token(SECOND),
                new TokenEvent.Finished(DONE)).finished().orElseThrow();

        RecordedGeneration decoded = RecordedGeneration.decode(recorded.encode(), RecordedGeneration.CONTENT_TYPE)
                .orElseThrow();
        List<TokenEvent> replayed = decoded.replay("req-2").collectList().block();

        assertThat(replayed).hasSize(3);
        GeneratedToken first = ((TokenEvent.Token) replayed.get(0)).token();
        assertThat(first.token()).isEqualTo(17);
        assertThat(first.text()).isEqualTo("Hel");
        assertThat(first.logprob()).isEqualTo(-0.25f);
        assertThat(first.topLogprobs()).isEqualTo(FIRST.topLogprobs());
        assertThat(first.experts()).isDeepEqualTo(new int[][] {{1, 4}, {0, 7}});
        assertThat(((TokenEvent.Token) replayed.get(1)).token().experts()).isNull();
        assertThat(((TokenEvent.Token) replayed.get(1)).token().logprob()).isNaN();
        Completion end = ((TokenEvent.Finished) replayed.get(2)).completion();
        assertThat(end.requestId()).isEqualTo("req-2");
        assertThat(end.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(end.promptTokens()).isEqualTo(12);
        assertThat(end.completionTokens()).isEqualTo(2);
        assertThat(end.tailText()).isEqualTo("lo");
        assertThat(end.adapterVersion()).isEqualTo("3");
        assertThat(end.totalNanos()).isZero();
    }

    @Test
    void onlyCompleteGenerations_areRecorded() {
        assertThat(record(new TokenEvent.Token(FIRST)).finished()).as("no completion yet").isEmpty();
        Completion cancelled = new Completion("req-1", FinishReason.CANCELLED, 12, 0, 1, "", "3", 0, 0, 0);
        assertThat(record(new TokenEvent.Token(FIRST), new TokenEvent.Finished(cancelled)).finished()).isEmpty();
    }

    @Test
    void entriesOfAnotherSchemaOrUnreadable_areNotReplayed() {
        byte[] body = record(new TokenEvent.Finished(DONE)).finished().orElseThrow().encode();
        assertThat(RecordedGeneration.decode(body, "application/json")).isEmpty();
        assertThat(RecordedGeneration.decode("{not json".getBytes(StandardCharsets.UTF_8),
                RecordedGeneration.CONTENT_TYPE)).isEmpty();
        String otherVersion = new String(body, StandardCharsets.UTF_8).replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        assertThat(RecordedGeneration.decode(otherVersion.getBytes(StandardCharsets.UTF_8),
                RecordedGeneration.CONTENT_TYPE)).isEmpty();
    }
}
