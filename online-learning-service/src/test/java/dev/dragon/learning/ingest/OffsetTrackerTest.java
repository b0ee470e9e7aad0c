package dev.dragon.learning.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();
    private final OffsetTracker.Partition p0 = new OffsetTracker.Partition("t", 0);

    @Test
    void safeOffset_isThePosition_whenNothingIsHeld() {
        tracker.start("t", 0, 10);
        tracker.consumed(new SourceRef("t", 0, 10));
        tracker.consumed(new SourceRef("t", 0, 11));

        assertThat(tracker.safeOffsets()).isEqualTo(Map.of(p0, 12L));
    }

    @Test
    void safeOffset_staysAtTheOldestHeldRecord_untilItIsReleased() {
        tracker.start("t", 0, 0);
        for (long o = 0; o < 5; o++) {
            tracker.consumed(new SourceRef("t", 0, o));
        }
        tracker.hold(new SourceRef("t", 0, 1));
        tracker.hold(new SourceRef("t", 0, 3));

        assertThat(tracker.safeOffsets()).containsEntry(p0, 1L);
        tracker.release(new SourceRef("t", 0, 1));
        assertThat(tracker.safeOffsets()).containsEntry(p0, 3L);
        tracker.release(new SourceRef("t", 0, 3));
        assertThat(tracker.safeOffsets()).containsEntry(p0, 5L);
        assertThat(tracker.heldCount()).isZero();
    }

    @Test
    void partitionsAreIndependent_andDoubleReleaseIsABug() {
        tracker.start("t", 0, 0);
        tracker.start("t", 1, 7);
        tracker.consumed(new SourceRef("t", 0, 0));
        tracker.hold(new SourceRef("t", 0, 0));

        assertThat(tracker.safeOffsets()).containsEntry(p0, 0L).containsEntry(new OffsetTracker.Partition("t", 1), 7L);
        tracker.release(new SourceRef("t", 0, 0));
        assertThatThrownBy(() -> tracker.release(new SourceRef("t", 0, 0))).isInstanceOf(IllegalStateException.class);
    }
}
