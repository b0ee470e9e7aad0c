package dev.dragon.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Compact binary wire format for one 2-D float matrix {@code [rows, cols]}, used to ship hidden states
 * between services. Little-endian layout:
 *
 * <pre>
 * offset 0  u8   format version (1)
 * offset 1  u8   precision code (1 = fp32, 2 = fp16)
 * offset 2  i32  rows (>= 0)
 * offset 6  i32  cols (>= 0)
 * offset 10      rows * cols elements, row-major
 * </pre>
 *
 * Decoding validates everything before reading and reports malformed input as a
 * {@link TensorFormatException}; it never fails with an index or buffer exception.
 */
public final class TensorCodec {

    public static final byte VERSION = 1;
    public static final int HEADER_BYTES = 10;

    /** Element precision on the wire. */
    public enum Precision {
        FP32(1, 4),
        FP16(2, 2);

        private final byte code;
        private final int bytes;

        Precision(int code, int bytes) {
            this.code = (byte) code;
            this.bytes = bytes;
        }

        public byte code() {
            return code;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        static Precision ofCode(byte code) {
            for (Precision p : values()) {
                if (p.code == code) {
                    return p;
                }
            }
            throw new TensorFormatException("tensor codec: unknown precision code " + (code & 0xff)
                    + " (expected 1 = fp32 or 2 = fp16)");
        }
    }

    /** A decoded header. */
    public record Header(Precision precision, int rows, int cols) {

        public Header {
            Objects.requireNonNull(precision, "precision");
            if (checkedElements(rows, cols) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(rows + "x" + cols + " matrix is too large");
            }
        }

        /** Number of elements, {@code rows * cols}. */
        public int elements() {
            return rows * cols;
        }

        /** Header plus payload bytes. */
        public int encodedSize() {
            return TensorCodec.encodedSize(rows, cols, precision);
        }
    }

    private TensorCodec() {
    }

    /** Total encoded size of a {@code [rows, cols]} matrix. */
    public static int encodedSize(int rows, int cols, Precision precision) {
        long elements = checkedElements(rows, cols);
        long size = HEADER_BYTES + elements * precision.bytes();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix is too large to encode");
        }
        return (int) size;
    }

    public static byte[] encode(Matrix matrix, Precision precision) {
        return encode(matrix.data(), 0, matrix.rows(), matrix.cols(), precision);
    }

    /** Encodes the {@code [rows, cols]} matrix stored row-major in {@code data} from {@code offset}. */
    public static byte[] encode(float[] data, int offset, int rows, int cols, Precision precision) {
        ByteBuffer out = ByteBuffer.allocate(encodedSize(rows, cols, precision));
        encode(data, offset, rows, cols, precision, out);
        return out.array();
    }

    /** Writes the encoding at {@code dst}'s position and advances it; {@code dst} needs {@link #encodedSize} bytes left. */
    public static void encode(float[] data, int offset, int rows, int cols, Precision precision, ByteBuffer dst) {
        Objects.requireNonNull(precision, "precision");
        int size = encodedSize(rows, cols, precision);
        int elements = rows * cols;
        Objects.checkFromIndexSize(offset, elements, data.length);
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("destination has " + dst.remaining() + " bytes left, encoding needs " + size);
        }
        ByteBuffer out = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).put(precision.code()).putInt(rows).putInt(cols);
        if (precision == Precision.FP32) {
            out.asFloatBuffer().put(data, offset, elements);
        } else {
            for (int i = 0; i < elements; i++) {
                out.putShort(Fp16.fromFloat(data[offset + i]));
            }
        }
        dst.position(dst.position() + size);
    }

    /** Decodes a buffer holding exactly one encoded matrix. */
    public static Matrix decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Matrix matrix = decode(in);
        if (in.hasRemaining()) {
            throw new TensorFormatException("tensor codec: " + in.remaining() + " trailing bytes after a "
                    + matrix.rows() + "x" + matrix.cols() + " matrix");
        }
        return matrix;
    }

    /** Decodes one matrix at {@code src}'s position and advances past it (on failure the position is unchanged). */
    public static Matrix decode(ByteBuffer src) {
        Header header = readHeader(src);
        float[] data = new float[header.elements()];
        decodeInto(src, data, 0);
        return new Matrix(header.rows(), header.cols(), data);
    }

    /**
     * Decodes one matrix at {@code src}'s position into {@code dst} from {@code dstOffset}, advancing
     * {@code src} past it; returns its header.
     */
    public static Header decodeInto(ByteBuffer src, float[] dst, int dstOffset) {
        Header header = readHeader(src);
        int elements = header.elements();
        Objects.checkFromIndexSize(dstOffset, elements, dst.length);
        ByteBuffer payload = src.slice(src.position() + HEADER_BYTES, elements * header.precision().bytes())
                .order(ByteOrder.LITTLE_ENDIAN);
        if (header.precision() == Precision.FP32) {
            payload.asFloatBuffer().get(dst, dstOffset, elements);
        } else {
            for (int i = 0; i < elements; i++) {
                dst[dstOffset + i] = Fp16.toFloat(payload.getShort(2 * i));
            }
        }
        src.position(src.position() + header.encodedSize());
        return header;
    }

    /** Reads and validates the header at {@code src}'s position (without advancing), including that the payload is present. */
    public static Header readHeader(ByteBuffer src) {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < HEADER_BYTES) {
            throw new TensorFormatException("tensor codec: " + in.remaining() + " bytes, too short for the "
                    + HEADER_BYTES + "-byte header");
        }
        byte version = in.get(0);
        if (version != VERSION) {
            throw new TensorFormatException("tensor codec: unsupported format version " + (version & 0xff)
                    + " (expected " + VERSION + ")");
        }
        Precision precision = Precision.ofCode(in.get(1));
        int rows = in.getInt(2);
        int cols = in.getInt(6);
        if (rows < 0 || cols < 0) {
            throw new TensorFormatException("tensor codec: negative size " + rows + "x" + cols);
        }
        long elements = (long) rows * cols; // <= 2^62, no overflow
        int present = in.remaining() - HEADER_BYTES;
        if (elements > present / precision.bytes()) {
            throw new TensorFormatException("tensor codec: " + rows + "x" + cols + " " + precision + " needs "
                    + elements + " elements of " + precision.bytes() + " bytes, only " + present
                    + " payload bytes present");
        }
        return new Header(precision, rows, cols);
    }

    private static long checkedElements(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative matrix size " + rows + "x" + cols);
        }
        return (long) rows * cols;
    }
}
