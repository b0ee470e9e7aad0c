package dev.dragon.core.tensor;

import dev.dragon.core.json.JsonField;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a safetensors file (e.g. a new adapter version): add tensors and metadata, then
 * {@link #toBytes()} or {@link #write(Path)}. Tensors are laid out in the order they were added;
 * the header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
 */
public final class SafeTensorsWriter {

    private record Entry(String name, DType dtype, int[] shape, byte[] bytes) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a {@code __metadata__} entry. */
    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(requireNonNull(key, "metadata key"), requireNonNull(value, "metadata value"));
        return this;
    }

    /** Adds a float32 tensor; {@code data} must hold exactly {@code product(shape)} elements. */
    public SafeTensorsWriter f32(String name, int[] shape, float[] data) {
        ByteBuffer out = allocate(checkCount(name, shape, data.length), DType.F32);
        out.asFloatBuffer().put(data);
        return add(name, DType.F32, shape, out.array());
    }

    /** Adds a float16 tensor, rounding each float to the nearest half. */
    public SafeTensorsWriter f16(String name, int[] shape, float[] data) {
        ByteBuffer out = allocate(checkCount(name, shape, data.length), DType.F16);
        for (float value : data) {
            out.putShort(Fp16.fromFloat(value));
        }
        return add(name, DType.F16, shape, out.array());
    }

    /** Adds an int64 tensor. */
    public SafeTensorsWriter i64(String name, int[] shape, long[] data) {
        ByteBuffer out = allocate(checkCount(name, shape, data.length), DType.I64);
        out.asLongBuffer().put(data);
        return add(name, DType.I64, shape, out.array());
    }

    public SafeTensorsWriter f32(String name, FloatTensor tensor) {
        return f32(name, tensor.shape(), tensor.data());
    }

    /** The complete file contents. */
    public byte[] toBytes() {
        byte[] header = paddedHeader();
        long dataBytes = entries.stream().mapToLong(e -> e.bytes().length).sum();
        if (8 + header.length + dataBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("safetensors content too large for one array: " + dataBytes + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (Entry entry : entries) {
            out.put(entry.bytes());
        }
        return out.array();
    }

    /** Writes the file atomically (a temporary sibling, then a move over {@code file}). */
    public void write(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, toBytes());
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private byte[] paddedHeader() {
        ObjectNode header = JsonField.mapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(SafeTensors.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry entry : entries) {
            ObjectNode node = header.putObject(entry.name());
            node.put("dtype", entry.dtype().name());
            ArrayNode shape = node.putArray("shape");
            Arrays.stream(entry.shape()).forEach(shape::add);
            node.putArray("data_offsets").add(offset).add(offset + entry.bytes().length);
            offset += entry.bytes().length;
        }
        byte[] json = JsonField.mapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private SafeTensorsWriter add(String name, DType dtype, int[] shape, byte[] bytes) {
        entries.add(new Entry(name, dtype, shape.clone(), bytes));
        names.add(name);
        return this;
    }

    private int checkCount(String name, int[] shape, int length) {
        requireNonNull(name, "tensor name");
        if (name.equals(SafeTensors.METADATA_KEY) || names.contains(name)) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or already used");
        }
        int count = Shapes.elementCount(shape);
        if (count != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " needs "
                    + count + " elements, data has " + length);
        }
        return count;
    }

    private static ByteBuffer allocate(int count, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
