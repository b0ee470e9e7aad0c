package dev.dragon.core.kv;

import dev.dragon.core.bundle.Architecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * The KV ring buffers of up to {@code slots} sequences for every layer.
 *
 * <p>A sequence owns one slot. Per layer the keys and values are laid out {@code [slots, H, W, Dh]}, so a
 * run of consecutive slots is one {@code [B, H, W, Dh]} tensor that ONNX Runtime reads in place. The key
 * and value of absolute position {@code p} live at ring entry {@code p mod W}; {@code positions
 * [slots, W]} (shared by all layers) says which position each entry holds, {@code -1} when empty, and is
 * what the attention graph masks with. Not thread-safe: one engine thread owns it.
 */
public final class KvArena {

    private final int slots;
    private final int layers;
    private final int heads;
    private final int window;
    private final int headDim;
    private final int slotFloats;                // H * W * Dh
    private final FloatBuffer[] keys;            // per layer [slots, H, W, Dh]
    private final FloatBuffer[] values;          // per layer [slots, H, W, Dh]
    private final LongBuffer positions;          // [slots, W]

    public KvArena(int slots, int layers, int heads, int window, int headDim) {
        if (slots < 1 || layers < 1 || heads < 1 || window < 1 || headDim < 1) {
            throw new IllegalArgumentException("KV arena dimensions must be positive");
        }
        this.slots = slots;
        this.layers = layers;
        this.heads = heads;
        this.window = window;
        this.headDim = headDim;
        this.slotFloats = heads * window * headDim;
        this.keys = new FloatBuffer[layers];
        this.values = new FloatBuffer[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = direct((long) slots * slotFloats * Float.BYTES).asFloatBuffer();
            values[l] = direct((long) slots * slotFloats * Float.BYTES).asFloatBuffer();
        }
        this.positions = direct((long) slots * window * Long.BYTES).asLongBuffer();
        for (int s = 0; s < slots; s++) {
            clear(s);
        }
    }

    public static KvArena forModel(Architecture arch, int slots) {
        return new KvArena(slots, arch.nLayers(), arch.nHeads(), arch.window(), arch.headDim());
    }

    private static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("KV arena too large: " + bytes + " bytes per buffer");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    public int slots() {
        return slots;
    }

    public int window() {
        return window;
    }

    /** Bytes held per sequence (all layers, keys, values and positions). */
    public long bytesPerSlot() {
        return 2L * layers * slotFloats * Float.BYTES + (long) window * Long.BYTES;
    }

    /** Keys of {@code count} consecutive slots at {@code layer}: a {@code [count, H, W, Dh]} view. */
    public FloatBuffer keys(int layer, int firstSlot, int count) {
        return keys[layer].slice(firstSlot * slotFloats, count * slotFloats);
    }

    /** Values of {@code count} consecutive slots at {@code layer}: a {@code [count, H, W, Dh]} view. */
    public FloatBuffer values(int layer, int firstSlot, int count) {
        return values[layer].slice(firstSlot * slotFloats, count * slotFloats);
    }

    /** Ring positions of {@code count} consecutive slots: a {@code [count, W]} view. */
    public LongBuffer positions(int firstSlot, int count) {
        return positions.slice(firstSlot * window, count * window);
    }

    /**
     * Writes the key and value of batch row {@code b}, token {@code t} from a graph's {@code k_new}/{@code v_new}
     * ({@code [B, H, T, Dh]} flat) into {@code slot}'s ring at {@code position}.
     */
    public void write(int layer, int slot, long position, float[] kNew, float[] vNew, int b, int tokens, int t) {
        int entry = (int) (position % window);
        for (int h = 0; h < heads; h++) {
            int src = ((b * heads + h) * tokens + t) * headDim;
            int dst = slot * slotFloats + (h * window + entry) * headDim;
            keys[layer].put(dst, kNew, src, headDim);
            values[layer].put(dst, vNew, src, headDim);
        }
    }

    /** Marks {@code position} as present in {@code slot}'s ring, after every layer wrote it. */
    public void commit(int slot, long position) {
        positions.put(slot * window + (int) (position % window), position);
    }

    /** Empties {@code slot} (its stale keys and values are masked out by the {@code -1} positions). */
    public void clear(int slot) {
        for (int i = 0; i < window; i++) {
            positions.put(slot * window + i, -1L);
        }
    }

    /** Copies slot {@code from} into slot {@code to} (all layers). */
    public void move(int from, int to) {
        if (from == to) {
            return;
        }
        for (int l = 0; l < layers; l++) {
            keys[l].put(to * slotFloats, keys[l], from * slotFloats, slotFloats);
            values[l].put(to * slotFloats, values[l], from * slotFloats, slotFloats);
        }
        positions.put(to * window, positions, from * window, window);
    }

    /** Exchanges the contents of two slots. */
    public void swap(int a, int b) {
        if (a == b) {
            return;
        }
        KvState tmp = export(a);
        move(b, a);
        restore(b, tmp);
    }

    /** A copy of {@code slot}'s ring (for the KV-state cache and for slot swaps). */
    public KvState export(int slot) {
        float[][] k = new float[layers][slotFloats];
        float[][] v = new float[layers][slotFloats];
        for (int l = 0; l < layers; l++) {
            keys[l].get(slot * slotFloats, k[l]);
            values[l].get(slot * slotFloats, v[l]);
        }
        long[] pos = new long[window];
        positions.get(slot * window, pos);
        return new KvState(heads, window, headDim, pos, k, v);
    }

    /** Replaces {@code slot}'s ring by {@code state}. */
    public void restore(int slot, KvState state) {
        if (state.layers() != layers || state.heads() != heads || state.window() != window
                || state.headDim() != headDim) {
            throw new IllegalArgumentException("KV state of another shape: " + state.describe());
        }
        for (int l = 0; l < layers; l++) {
            keys[l].put(slot * slotFloats, state.keys()[l]);
            values[l].put(slot * slotFloats, state.values()[l]);
        }
        positions.put(slot * window, state.positions());
    }

    /** Positions currently held by {@code slot}, ascending (for tests and diagnostics). */
    public long[] heldPositions(int slot) {
        long[] pos = new long[window];
        positions.get(slot * window, pos);
        return Arrays.stream(pos).filter(p -> p >= 0).sorted().toArray();
    }
}
