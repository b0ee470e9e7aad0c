package dev.dragon.core.tensor;

import dev.dragon.core.json.JsonField;
import dev.dragon.core.json.JsonFieldException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reader of the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
 * little-endian header length, a JSON header, then raw little-endian tensor data. The whole header is
 * validated on open (offsets inside the data, sizes matching shape and dtype, no overlaps), so later
 * reads cannot fail on a malformed file.
 */
public final class SafeTensors {

    /** Same limit as the reference implementation: headers above 100 MB are rejected. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    static final String METADATA_KEY = "__metadata__";

    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final ByteBuffer data; // little-endian view of the data section

    private SafeTensors(Map<String, TensorInfo> tensors, Map<String, String> metadata, ByteBuffer data) {
        this.tensors = tensors;
        this.metadata = metadata;
        this.data = data;
    }

    /** Memory-maps and parses a safetensors file. */
    public static SafeTensors read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            try {
                return parse(mapped);
            } catch (TensorFormatException e) {
                throw new TensorFormatException(file.getFileName() + ": " + e.getMessage(), e);
            }
        }
    }

    public static SafeTensors parse(byte[] bytes) {
        return parse(ByteBuffer.wrap(bytes));
    }

    /** Parses the bytes between {@code buffer}'s position and limit (the buffer itself is not modified). */
    public static SafeTensors parse(ByteBuffer buffer) {
        ByteBuffer in = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 8) {
            throw new TensorFormatException("safetensors: " + in.remaining() + " bytes, too short for the 8-byte header length");
        }
        long headerLength = in.getLong(0);
        long available = in.remaining() - 8L;
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > available) {
            throw new TensorFormatException("safetensors: header length " + Long.toUnsignedString(headerLength)
                    + " is invalid for " + available + " bytes after the length field");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        in.get(8, headerBytes);
        ByteBuffer dataSection = in.slice(8 + (int) headerLength, in.remaining() - 8 - (int) headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            return fromHeader(JsonField.parse(headerBytes), dataSection);
        } catch (JsonFieldException e) {
            throw new TensorFormatException("safetensors header: " + e.getMessage(), e);
        }
    }

    private static SafeTensors fromHeader(JsonField header, ByteBuffer dataSection) {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonField> entry : header.members().entrySet()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                entry.getValue().members().forEach((key, value) -> metadata.put(key, value.string()));
            } else {
                tensors.put(entry.getKey(), tensorInfo(entry.getKey(), entry.getValue(), dataSection.capacity()));
            }
        }
        checkNoOverlap(tensors.values());
        return new SafeTensors(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata), dataSection);
    }

    private static TensorInfo tensorInfo(String name, JsonField field, long dataBytes) {
        DType dtype;
        try {
            dtype = DType.parse(field.get("dtype").string());
        } catch (TensorFormatException e) {
            throw field.get("dtype").fail(e.getMessage());
        }
        int[] shape = field.get("shape").intArray();
        int count;
        try {
            count = Shapes.elementCount(shape);
        } catch (TensorFormatException e) {
            throw field.get("shape").fail(e.getMessage());
        }
        List<JsonField> offsets = field.get("data_offsets").elements(2);
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin || end > dataBytes) {
            throw field.get("data_offsets").fail("[" + begin + ", " + end + "] outside the data section of "
                    + dataBytes + " bytes");
        }
        long expected = (long) count * dtype.bytes();
        if (end - begin != expected) {
            throw field.get("data_offsets").fail("span of " + (end - begin) + " bytes, but " + dtype
                    + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(java.util.Collection<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo previous = sorted.get(i - 1);
            TensorInfo current = sorted.get(i);
            if (current.begin() < previous.end()) {
                throw new TensorFormatException("safetensors header: tensors '" + previous.name() + "' and '"
                        + current.name() + "' overlap");
            }
        }
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Header entry of {@code name}; fails naming the tensor when absent. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new TensorFormatException("no tensor named '" + name + "' (present: " + tensors.keySet() + ")");
        }
        return info;
    }

    /** The {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads a floating-point tensor (F32, F16 or BF16) as floats. */
    public FloatTensor floats(String name) {
        TensorInfo info = info(name);
        float[] out = new float[info.elementCount()];
        readFloats(name, out, 0);
        return new FloatTensor(info.shape(), out);
    }

    /** Reads a floating-point tensor's elements into {@code dst} starting at {@code offset}. */
    public void readFloats(String name, float[] dst, int offset) {
        TensorInfo info = info(name);
        int count = info.elementCount();
        java.util.Objects.checkFromIndexSize(offset, count, dst.length);
        ByteBuffer bytes = bytes(info);
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(dst, offset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Fp16.toFloat(bytes.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new TensorFormatException("tensor '" + name + "' has dtype " + info.dtype()
                    + ", not a floating-point type");
        }
    }

    /** Reads an integer tensor (I64 or I32) as longs. */
    public LongTensor longs(String name) {
        TensorInfo info = info(name);
        long[] out = new long[info.elementCount()];
        ByteBuffer bytes = bytes(info);
        switch (info.dtype()) {
            case I64 -> bytes.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes.getInt(4 * i);
                }
            }
            default -> throw new TensorFormatException("tensor '" + name + "' has dtype " + info.dtype()
                    + ", not an integer type");
        }
        return new LongTensor(info.shape(), out);
    }

    private ByteBuffer bytes(TensorInfo info) {
        return data.slice((int) info.begin(), (int) (info.end() - info.begin())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "SafeTensors" + tensors.values();
    }
}
