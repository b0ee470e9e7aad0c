package dev.dragon.core.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KvArenaTest {

    private static final int H = 2, W = 4, DH = 3;

    /** k_new/v_new of one token ([1, H, 1, Dh]) whose every value encodes (position, head, dim, k or v). */
    private static float[] token(long position, boolean value) {
        float[] out = new float[H * DH];
        for (int h = 0; h < H; h++) {
            for (int d = 0; d < DH; d++) {
                out[h * DH + d] = position * 100 + h * 10 + d + (value ? 0.5f : 0f);
            }
        }
        return out;
    }

    private static void append(KvArena kv, int slot, long position) {
        for (int l = 0; l < 2; l++) {
            kv.write(l, slot, position, token(position, false), token(position, true), 0, 1, 0);
        }
        kv.commit(slot, position);
    }

    @Test
    void ring_keepsTheLastWindowPositions_atPositionModWindow() {
        KvArena kv = new KvArena(2, 2, H, W, DH);
        assertThat(kv.heldPositions(0)).isEmpty();
        for (long p = 0; p < 11; p++) {
            append(kv, 0, p);
        }
        assertThat(kv.heldPositions(0)).containsExactly(7, 8, 9, 10);
        // position 9 sits at entry 9 mod 4 = 1 of head 1
        float[] k = new float[H * W * DH];
        kv.keys(1, 0, 1).get(k);
        assertThat(k[(1 * W + 1) * DH + 2]).isEqualTo(9 * 100 + 10 + 2);
        assertThat(kv.heldPositions(1)).as("other slots untouched").isEmpty();
    }

    @Test
    void views_coverConsecutiveSlots() {
        KvArena kv = new KvArena(3, 1, H, W, DH);
        assertThat(kv.keys(0, 1, 2).capacity()).isEqualTo(2 * H * W * DH);
        assertThat(kv.positions(0, 3).capacity()).isEqualTo(3 * W);
        assertThat(kv.keys(0, 0, 1).isDirect()).isTrue();
    }

    @Test
    void moveSwapExportRestore_preserveContents() {
        KvArena kv = new KvArena(3, 2, H, W, DH);
        for (long p = 0; p < 6; p++) {
            append(kv, 0, p);
        }
        append(kv, 1, 0);
        KvState s0 = kv.export(0);
        KvState s1 = kv.export(1);
        kv.swap(0, 1);
        assertThat(kv.export(0).keys()[1]).containsExactly(s1.keys()[1]);
        assertThat(kv.export(1).values()[0]).containsExactly(s0.values()[0]);
        kv.move(1, 2);
        assertThat(kv.heldPositions(2)).containsExactly(2, 3, 4, 5);
        assertThat(s0.nextPosition()).isEqualTo(6);
        kv.clear(2);
        kv.restore(2, s0);
        assertThat(kv.export(2).keys()[0]).containsExactly(s0.keys()[0]);
        assertThat(kv.heldPositions(2)).containsExactly(2, 3, 4, 5);
    }

    @Test
    void restore_rejectsStateOfAnotherShape() {
        KvArena kv = new KvArena(1, 2, H, W, DH);
        KvState other = new KvArena(1, 3, H, W, DH).export(0);
        assertThatThrownBy(() -> kv.restore(0, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another shape");
    }
}
