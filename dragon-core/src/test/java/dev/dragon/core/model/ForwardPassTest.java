package dev.dragon.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dragon.core.kv.KvArena;
import dev.dragon.core.testing.LaterExperts;
import dev.dragon.core.testing.ShippedModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    private static int[] randomTokens(int n, long seed) {
        Random rnd = new Random(seed);
        int regular = ShippedModel.model().tokenizer().regularTokenCount();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(regular);
        }
        return ids;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void chunkedPrefill_equalsTokenByToken_acrossRingWraps() {
        DragonModel model = ShippedModel.model();
        var arch = model.architecture();
        int n = 2 * arch.window() + 37;
        int[] ids = randomTokens(n, 1);
        ForwardPass chunked = new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(arch, 1), (l, r) -> { });
        ForwardPass single = new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(arch, 1), (l, r) -> { });
        StepOutput a = null;
        for (int from = 0; from < n; from += 50) {
            a = chunked.run(StepInput.chunk(0, ids, from, Math.min(n, from + 50), from, false));
        }
        StepOutput b = null;
        for (int i = 0; i < n; i++) {
            b = single.run(StepInput.chunk(0, ids, i, i + 1, i, false));
        }
        assertThat(maxAbsDiff(a.hidden(), b.hidden())).isLessThan(1e-4f);
        assertThat(chunked.kv().heldPositions(0)).hasSize(arch.window()).startsWith(n - arch.window());
    }

    @Test
    void context_beyond2048Positions_behavesAsAtTheStart() {
        // With L layers of window W the last position sees exactly the last L·(W-1)+1 tokens, and RoPE
        // makes attention depend on relative offsets only: so the state at position ~2,100 must match a
        // fresh sequence fed those same tokens from position 0.
        DragonModel model = ShippedModel.model();
        var arch = model.architecture();
        int n = 2100;
        int field = arch.nLayers() * (arch.window() - 1) + 1;
        int[] ids = randomTokens(n, 2);
        ForwardPass longPass = new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(arch, 1), (l, r) -> { });
        StepOutput far = null;
        for (int from = 0; from < n; from += arch.window()) {
            far = longPass.run(StepInput.chunk(0, ids, from, Math.min(n, from + arch.window()), from, false));
        }
        int[] tail = java.util.Arrays.copyOfRange(ids, n - field, n);
        ForwardPass fresh = new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(arch, 1), (l, r) -> { });
        StepOutput near = null;
        for (int from = 0; from < tail.length; from += arch.window()) {
            near = fresh.run(StepInput.chunk(0, tail, from, Math.min(tail.length, from + arch.window()), from, false));
        }
        float[] logitsFar = new float[arch.vocabSize()];
        float[] logitsNear = new float[arch.vocabSize()];
        model.head(far.hidden(), 0, 1, model.baseAdapter(), logitsFar, 0, null);
        model.head(near.hidden(), 0, 1, model.baseAdapter(), logitsNear, 0, null);
        assertThat(maxAbsDiff(logitsFar, logitsNear)).isLessThan(5e-3f);
        assertThat(ForwardPassGoldenTest.argmax(logitsFar)).isEqualTo(ForwardPassGoldenTest.argmax(logitsNear));
        assertThat(longPass.kv().heldPositions(0)).startsWith(n - arch.window()).endsWith(n - 1);
    }

    /** Prefills {@code b} sequences (one per slot) and returns one decode step over all of them. */
    private static StepOutput decodeStep(ForwardPass pass, int b) {
        int prompt = 24;
        long[] ids = new long[b];
        long[] positions = new long[b];
        for (int r = 0; r < b; r++) {
            int[] p = randomTokens(prompt + 1, 10 + r);
            pass.run(StepInput.chunk(r, p, 0, prompt, 0, false));
            ids[r] = p[prompt];
            positions[r] = prompt;
        }
        return pass.run(new StepInput(0, b, 1, ids, positions, false));
    }

    @Test
    void microBatches_overlapTheExperts_andComputeWhatOneBatchDoes() {
        DragonModel model = ShippedModel.model();
        var arch = model.architecture();
        int b = 7;
        StepOutput whole = decodeStep(new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(arch, b),
                (l, r) -> { }), b);
        for (int m : new int[] {2, 3}) {
            try (LaterExperts later = new LaterExperts(ShippedModel.experts())) {
                ForwardPass staggered = new ForwardPass(model, later, KvArena.forModel(arch, b), (l, r) -> { }, m, 2);
                assertThat(staggered.microBatchesFor(b)).isEqualTo(m);
                StepOutput split = decodeStep(staggered, b);
                assertThat(later.maxInFlight()).as("micro-batches in flight at once").isEqualTo(m);
                assertThat(split.rows()).isEqualTo(b);
                assertThat(maxAbsDiff(split.hidden(), whole.hidden())).as("%d micro-batches", m).isLessThan(1e-4f);
                for (int r = 0; r < b; r++) {
                    for (int l = 0; l < arch.nLayers(); l++) {
                        assertThat(split.experts()[r][l]).as("row %d layer %d", r, l).containsExactly(whole.experts()[r][l]);
                    }
                }
                assertThat(split.failedRows().isEmpty()).isTrue();
            }
        }
    }

    @Test
    void microBatchesFor_keepsTheMinimumRows_andNeverSplitsOneRow() {
        DragonModel model = ShippedModel.model();
        ForwardPass pass = new ForwardPass(model, ShippedModel.experts(), KvArena.forModel(model.architecture(), 1),
                (l, r) -> { }, 2, 4);
        assertThat(pass.microBatchesFor(1)).isEqualTo(1);
        assertThat(pass.microBatchesFor(7)).isEqualTo(1);
        assertThat(pass.microBatchesFor(8)).isEqualTo(2);
        assertThat(pass.microBatchesFor(32)).isEqualTo(2);
    }
}
