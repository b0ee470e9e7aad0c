package dev.dragon.core.kv;

import dev.dragon.core.tensor.Fp16;
import dev.dragon.core.tensor.TensorCodec.Precision;
import dev.dragon.core.tensor.TensorFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Compact binary form of a {@link KvState} for the KV-state cache: only the occupied ring entries, in
 * fp16 (default) or fp32, with a versioned header and a checksum. Little-endian layout:
 *
 * <pre>
 * offset 0   4 bytes  magic "DKVS"
 * offset 4   u8       format version (1)
 * offset 5   u8       precision code (1 = fp32, 2 = fp16, as in TensorCodec)
 * offset 6   u16      layers L
 * offset 8   u16      heads H
 * offset 10  u16      head dim Dh
 * offset 12  i32      window W
 * offset 16  i32      n, occupied ring entries (0..W)
 * offset 20  i64[n]   their absolute positions, strictly ascending (entry p lives in ring slot p mod W)
 *            then per layer l: keys [H, n, Dh], then values [H, n, Dh], entries in position order
 *            u32      CRC-32C of every byte before it
 * </pre>
 *
 * For the shipped model (L=4, H=4, Dh=64, W=128) a full window is 525,336 bytes in fp16 and 1,049,624
 * bytes in fp32. Decoding checks everything (magic, version, shape bounds, exact length, checksum,
 * positions) before it allocates, and reports malformed input as a {@link TensorFormatException}.
 */
public final class KvStateCodec {

    public static final byte VERSION = 1;
    static final int MAGIC = 0x53564B44;             // "DKVS" read little-endian
    static final int HEADER_BYTES = 20;
    static final int TRAILER_BYTES = 4;
    private static final int MAX_DIM = 65_535;        // u16 fields
    private static final int MAX_WINDOW = 1 << 20;
    private static final long MAX_STATE_FLOATS = 1L << 28; // 2 * L * H * W * Dh: what decoding allocates

    private KvStateCodec() {
    }

    /** fp16 encoding of {@code state}. */
    public static byte[] encode(KvState state) {
        return encode(state, Precision.FP16);
    }

    public static byte[] encode(KvState state, Precision precision) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(precision, "precision");
        checkShape(state.layers(), state.heads(), state.headDim(), state.window());
        int[] slots = occupiedSlots(state.positions());               // ring slots, in position order
        int n = slots.length;
        ByteBuffer out = ByteBuffer.allocate(encodedSize(state.layers(), state.heads(), state.headDim(), n, precision))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).put(VERSION).put(precision.code())
                .putShort((short) state.layers()).putShort((short) state.heads()).putShort((short) state.headDim())
                .putInt(state.window()).putInt(n);
        for (int slot : slots) {
            out.putLong(state.positions()[slot]);
        }
        for (int l = 0; l < state.layers(); l++) {
            putEntries(out, state.keys()[l], slots, state, precision);
            putEntries(out, state.values()[l], slots, state, precision);
        }
        out.putInt(crc(out.array(), out.position()));
        return out.array();
    }

    /** Bytes {@link #encode} produces for a state of this shape with {@code occupied} ring entries. */
    public static int encodedSize(int layers, int heads, int headDim, int occupied, Precision precision) {
        long size = HEADER_BYTES + 8L * occupied
                + 2L * layers * heads * occupied * headDim * precision.bytes() + TRAILER_BYTES;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV state too large to encode: " + size + " bytes");
        }
        return (int) size;
    }

    /** Decodes a buffer holding exactly one encoded state; unoccupied ring entries come back empty (-1). */
    public static KvState decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
            throw malformed(bytes.length + " bytes, too short for the " + HEADER_BYTES + "-byte header and checksum");
        }
        if (in.getInt(0) != MAGIC) {
            throw malformed("not an encoded KV state (bad magic)");
        }
        if (in.get(4) != VERSION) {
            throw malformed("unsupported format version " + (in.get(4) & 0xff) + " (expected " + VERSION + ")");
        }
        Precision precision = precision(in.get(5));
        int layers = Short.toUnsignedInt(in.getShort(6));
        int heads = Short.toUnsignedInt(in.getShort(8));
        int headDim = Short.toUnsignedInt(in.getShort(10));
        int window = in.getInt(12);
        int n = in.getInt(16);
        if (layers < 1 || heads < 1 || headDim < 1 || window < 1 || window > MAX_WINDOW
                || 2L * layers * heads * window * headDim > MAX_STATE_FLOATS) {
            throw malformed("implausible shape [layers=" + layers + ", H=" + heads + ", W=" + window + ", Dh="
                    + headDim + "]");
        }
        if (n < 0 || n > window) {
            throw malformed(n + " occupied entries in a window of " + window);
        }
        long expected = HEADER_BYTES + 8L * n + 2L * layers * heads * n * headDim * precision.bytes() + TRAILER_BYTES;
        if (bytes.length != expected) {
            throw malformed(bytes.length + " bytes, but the header describes " + expected);
        }
        int stored = in.getInt(bytes.length - TRAILER_BYTES);
        if (stored != crc(bytes, bytes.length - TRAILER_BYTES)) {
            throw malformed("checksum mismatch (corrupted data)");
        }
        in.position(HEADER_BYTES);
        long[] positions = new long[window];                         // [W]
        Arrays.fill(positions, -1L);
        int[] slots = new int[n];
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long p = in.getLong();
            if (p <= previous) {
                throw malformed("positions must be non-negative and strictly ascending, got " + p + " after " + previous);
            }
            int slot = (int) (p % window);
            if (positions[slot] != -1L) {
                throw malformed("positions " + positions[slot] + " and " + p + " share ring slot " + slot);
            }
            positions[slot] = p;
            slots[i] = slot;
            previous = p;
        }
        int ring = heads * window * headDim;
        float[][] keys = new float[layers][ring];                    // [L][H * W * Dh]
        float[][] values = new float[layers][ring];
        for (int l = 0; l < layers; l++) {
            getEntries(in, keys[l], slots, heads, window, headDim, precision);
            getEntries(in, values[l], slots, heads, window, headDim, precision);
        }
        return new KvState(heads, window, headDim, positions, keys, values);
    }

    /** Ring slots holding a position, ordered by that position. */
    private static int[] occupiedSlots(long[] positions) {
        return java.util.stream.IntStream.range(0, positions.length)
                .filter(s -> positions[s] >= 0)
                .boxed()
                .sorted((a, b) -> Long.compare(positions[a], positions[b]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Writes {@code ring}'s ({@code [H, W, Dh]}) entries at {@code slots} as {@code [H, n, Dh]}. */
    private static void putEntries(ByteBuffer out, float[] ring, int[] slots, KvState s, Precision precision) {
        int w = s.window(), dh = s.headDim();
        for (int h = 0; h < s.heads(); h++) {
            for (int slot : slots) {
                int from = (h * w + slot) * dh;
                for (int i = 0; i < dh; i++) {
                    if (precision == Precision.FP32) {
                        out.putFloat(ring[from + i]);
                    } else {
                        out.putShort(Fp16.fromFloat(ring[from + i]));
                    }
                }
            }
        }
    }

    /** Reads {@code [H, n, Dh]} entries into {@code ring} ({@code [H, W, Dh]}) at {@code slots}. */
    private static void getEntries(ByteBuffer in, float[] ring, int[] slots, int heads, int w, int dh,
                                   Precision precision) {
        for (int h = 0; h < heads; h++) {
            for (int slot : slots) {
                int to = (h * w + slot) * dh;
                for (int i = 0; i < dh; i++) {
                    ring[to + i] = precision == Precision.FP32 ? in.getFloat() : Fp16.toFloat(in.getShort());
                }
            }
        }
    }

    private static void checkShape(int layers, int heads, int headDim, int window) {
        if (layers < 1 || heads < 1 || headDim < 1 || window < 1
                || layers > MAX_DIM || heads > MAX_DIM || headDim > MAX_DIM || window > MAX_WINDOW) {
            throw new IllegalArgumentException("KV state shape outside what the codec takes: [layers=" + layers
                    + ", H=" + heads + ", W=" + window + ", Dh=" + headDim + "]");
        }
    }

    private static Precision precision(byte code) {
        for (Precision p : Precision.values()) {
            if (p.code() == code) {
                return p;
            }
        }
        throw malformed("unknown precision code " + (code & 0xff) + " (expected 1 = fp32 or 2 = fp16)");
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static TensorFormatException malformed(String what) {
        return new TensorFormatException("KV state codec: " + what);
    }
}
