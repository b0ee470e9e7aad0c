package dev.dragon.learning.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.learning.pc.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExamplePoolTest {

    private static final OffsetTracker.Partition P0 = new OffsetTracker.Partition("f", 0);

    private final OffsetTracker offsets = new OffsetTracker();
    private long offset;

    @Test
    void holdoutMembership_isStableAndRoughlyOneInN() {
        ExamplePool pool = new ExamplePool(5, 64, 1, 1.0, 100);
        int holdout = 0;
        for (int i = 0; i < 1000; i++) {
            if (pool.isHoldout("fb-" + i)) {
                holdout++;
            }
        }
        assertThat(holdout).isBetween(150, 250);
        assertThat(pool.isHoldout("fb-7")).isEqualTo(new ExamplePool(5, 64, 1, 1.0, 100).isHoldout("fb-7"));
    }

    @Test
    void oneTenant_getsAtMostItsShareOfAnUpdate_andItsSurplusIsDropped() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 1, 0.25, 100);
        add(pool, "noisy", 20);
        add(pool, "quiet", 3);

        ExamplePool.Candidate c = pool.take(8, Map.of());

        assertThat(c.training()).filteredOn(e -> e.tenant().equals("noisy")).hasSize(2);
        assertThat(c.capped()).filteredOn(e -> e.tenant().equals("noisy")).hasSize(18);
        assertThat(c.capped()).filteredOn(e -> e.tenant().equals("quiet")).hasSize(1);
        assertThat(c.newHoldout()).extracting(Example::tenant).containsExactly("quiet");   // fills the empty slice
        assertThat(c.training()).filteredOn(e -> e.tenant().equals("quiet")).hasSize(1);
        assertThat(pool.pendingCount()).isZero();
    }

    @Test
    void aTenantWithTooManyWaiting_hasNewExamplesRefused() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 1, 1.0, 3);
        assertThat(add(pool, "spam", 3)).hasSize(3);

        assertThat(pool.add(example("spam"), 0)).isFalse();
        assertThat(pool.add(example("other"), 0)).isTrue();
    }

    @Test
    void emptyHoldout_isFilledFromTheNewestTakenExamples() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 2, 1.0, 100);
        add(pool, "t", 6);
        assertThat(pool.ready(4, Long.MAX_VALUE, 0)).isTrue();

        ExamplePool.Candidate c = pool.take(10, Map.of());

        assertThat(c.holdout()).hasSize(2);
        assertThat(c.newHoldout()).hasSize(2);
        assertThat(c.training()).hasSize(4);
    }

    @Test
    void aFeedbackStillWaitingForItsInteraction_keepsLaterOffsetsOfItsPartitionUndecided() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 1, 1.0, 100);
        List<Example> added = add(pool, "t", 5);          // offsets 0..4

        ExamplePool.Candidate c = pool.take(10, Map.of(P0, 2L));

        assertThat(c.training()).extracting(e -> e.feedbackRef().offset()).containsExactlyInAnyOrder(0L);
        assertThat(c.newHoldout()).extracting(e -> e.feedbackRef().offset()).containsExactly(1L);
        assertThat(pool.pendingCount()).isEqualTo(3);
        pool.settle(c, offsets, 0);
        assertThat(offsets.safeOffsets().get(P0)).isEqualTo(2L);
        assertThat(added).hasSize(5);
    }

    @Test
    void aDecisionSettlesAPrefix_soHeldOutFeedbackAboveUntakenExamplesWaits() {
        ExamplePool pool = new ExamplePool(2, 64, 1, 1.0, 100);
        List<Example> training = new ArrayList<>();
        List<Example> holdout = new ArrayList<>();
        while (training.size() < 6 || holdout.size() < 2) {
            Example e = example("t");
            (pool.isHoldout(e.feedbackId()) ? holdout : training).add(e);
            pool.add(e, 0);
        }

        ExamplePool.Candidate c = pool.take(3, Map.of());

        long cut = training.get(3).feedbackRef().offset();             // the first training example not taken
        assertThat(c.training()).hasSize(3).allMatch(e -> e.feedbackRef().offset() < cut);
        assertThat(c.newHoldout()).allMatch(e -> e.feedbackRef().offset() < cut);
        pool.settle(c, offsets, 0);
        assertThat(offsets.safeOffsets().get(P0)).isLessThanOrEqualTo(cut);
        for (Example e : holdout) {
            if (e.feedbackRef().offset() > cut) {
                assertThat(c.newHoldout()).doesNotContain(e);
            }
        }
    }

    @Test
    void settling_releasesEveryRecordTheDecisionCovered() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 1, 1.0, 100);
        add(pool, "t", 4);
        assertThat(offsets.heldCount()).isEqualTo(4);

        ExamplePool.Candidate c = pool.take(10, Map.of());
        pool.settle(c, offsets, 0);

        assertThat(offsets.heldCount()).isZero();
        assertThat(offsets.safeOffsets().get(P0)).isEqualTo(4L);
        assertThat(pool.pendingCount()).isZero();
    }

    @Test
    void waitingLongEnough_makesAnUpdateReady_belowTheExampleCount() {
        ExamplePool pool = new ExamplePool(1_000_000, 64, 1, 1.0, 100);
        add(pool, "t", 3);

        assertThat(pool.ready(10, 1_000, 999)).isFalse();
        assertThat(pool.ready(10, 1_000, 1_000)).isTrue();
    }

    private List<Example> add(ExamplePool pool, String tenant, int n) {
        List<Example> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Example e = example(tenant);
            if (pool.add(e, 0)) {
                added.add(e);
            }
        }
        return added;
    }

    private Example example(String tenant) {
        SourceRef ref = new SourceRef("f", 0, offset++);
        offsets.consumed(ref);
        offsets.hold(ref);
        return new Example("fb-" + tenant + "-" + ref.offset(), tenant, Example.Source.POSITIVE, new int[] {1, 2}, 1,
                new Rows(1, new float[] {0f}, new int[] {2}), ref);
    }
}
