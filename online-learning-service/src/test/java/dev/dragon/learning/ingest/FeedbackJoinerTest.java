package dev.dragon.learning.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.contracts.events.FeedbackEvent;
import dev.dragon.contracts.events.InteractionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackJoinerTest {

    private static final long MINUTE = 60_000;

    private final OffsetTracker offsets = new OffsetTracker();
    private final FeedbackJoiner joiner = new FeedbackJoiner(Duration.ofMinutes(10), Duration.ofSeconds(30), 3, offsets);
    private long nextOffset;

    @Test
    void feedbackJoinsItsInteraction_withinTheWindow() {
        InteractionEvent i = interaction("r1", 0);
        joiner.onInteraction(i, ref("i"));
        List<FeedbackJoiner.Dropped> dropped = new ArrayList<>();

        FeedbackJoiner.Joined j = joiner.onFeedback(feedback("f1", "r1", 5 * MINUTE), ref("f"), 0, dropped);

        assertThat(j).isNotNull();
        assertThat(j.interaction()).isSameAs(i);
        assertThat(dropped).isEmpty();
        assertThat(offsets.heldCount()).isEqualTo(2);      // the interaction, and the feedback its example owns
    }

    @Test
    void feedbackAfterTheWindow_isDroppedAsExpired() {
        joiner.onInteraction(interaction("r1", 0), ref("i"));
        List<FeedbackJoiner.Dropped> dropped = new ArrayList<>();

        FeedbackJoiner.Joined j = joiner.onFeedback(feedback("f1", "r1", 11 * MINUTE), ref("f"), 0, dropped);

        assertThat(j).isNull();
        assertThat(dropped).extracting(FeedbackJoiner.Dropped::reason).containsExactly("expired");
    }

    @Test
    void feedbackReadBeforeItsInteraction_waitsAndJoinsWhenItArrives() {
        List<FeedbackJoiner.Dropped> dropped = new ArrayList<>();
        assertThat(joiner.onFeedback(feedback("f1", "r1", MINUTE), ref("f"), 0, dropped)).isNull();
        assertThat(joiner.waitingCount()).isEqualTo(1);

        List<FeedbackJoiner.Joined> joined = joiner.onInteraction(interaction("r1", 0), ref("i"));

        assertThat(joined).extracting(j -> j.feedback().feedbackId()).containsExactly("f1");
        assertThat(joiner.waitingCount()).isZero();
    }

    @Test
    void feedbackForAnUnknownResponse_isDroppedAfterTheWait() {
        joiner.onFeedback(feedback("f1", "nobody", 0), ref("f"), 0, new ArrayList<>());

        assertThat(joiner.expire(Duration.ofSeconds(29).toNanos(), true)).isEmpty();
        assertThat(joiner.expire(Duration.ofSeconds(31).toNanos(), false)).as("still reading interactions").isEmpty();
        assertThat(joiner.expire(Duration.ofSeconds(31).toNanos(), true))
                .extracting(FeedbackJoiner.Dropped::reason).containsExactly("unknown_response");
    }

    @Test
    void interactionsOlderThanTheWindow_areReleased_byEventTime() {
        SourceRef old = ref("i");
        joiner.onInteraction(interaction("r1", 0), old);
        joiner.onInteraction(interaction("r2", 11 * MINUTE), ref("i"));

        joiner.expire(0, true);

        assertThat(joiner.interactionCount()).isEqualTo(1);
        assertThat(offsets.safeOffsets().get(new OffsetTracker.Partition("i", 0))).isEqualTo(old.offset() + 1);
    }

    @Test
    void theOldestInteractionsGo_whenTheBufferIsFull() {
        for (int k = 0; k < 5; k++) {
            joiner.onInteraction(interaction("r" + k, k), ref("i"));
        }
        assertThat(joiner.interactionCount()).isEqualTo(3);
        assertThat(offsets.heldCount()).isEqualTo(3);
    }

    private SourceRef ref(String topic) {
        SourceRef r = new SourceRef(topic, 0, nextOffset++);
        offsets.consumed(r);
        return r;
    }

    static InteractionEvent interaction(String responseId, long ts) {
        return InteractionEvent.of(responseId, "req", "t1", "m", "1", "0", new int[] {1, 2}, new int[] {3}, 5, null, ts);
    }

    static FeedbackEvent feedback(String id, String responseId, long ts) {
        return FeedbackEvent.of(id, responseId, "req", "t1", 1, null, ts);
    }
}
