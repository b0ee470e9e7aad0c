package dev.dragon.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void writerOutputReadsBackWithShapesDtypesAndMetadata() throws IOException {
        float[] gate = {0.5f, -1.25f, 3f, 1e-3f, 7f, -0f};
        float[] halves = {1f, 0.1f, -2.5f, 65504f};
        long[] ids = {1L, -2L, Long.MAX_VALUE};
        Path file = dir.resolve("t.safetensors");
        new SafeTensorsWriter()
                .metadata("version", "3")
                .f32("layers.0.gate", new int[] {2, 3}, gate)
                .f16("half", new int[] {4}, halves)
                .i64("ids", new int[] {3}, ids)
                .write(file);

        SafeTensors tensors = SafeTensors.read(file);

        assertThat(tensors.names()).containsExactly("layers.0.gate", "half", "ids");
        assertThat(tensors.metadata()).containsEntry("version", "3").hasSize(1);
        FloatTensor g = tensors.floats("layers.0.gate");
        assertThat(g.shape()).containsExactly(2, 3);
        assertThat(g.data()).containsExactly(gate);
        assertThat(tensors.info("half").dtype()).isEqualTo(DType.F16);
        assertThat(tensors.floats("half").data()).containsExactly(1f, Fp16.round(0.1f), -2.5f, 65504f);
        assertThat(tensors.longs("ids").data()).containsExactly(ids);
        assertThat(tensors.longs("ids").shape()).containsExactly(3);
    }

    @Test
    void headerIsPaddedToEightBytesWithSpaces() {
        byte[] bytes = new SafeTensorsWriter().f32("x", new int[] {1}, new float[] {1f}).toBytes();
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{").contains("\"data_offsets\":[0,4]");
        assertThat(header.strip()).endsWith("}");
    }

    @Test
    void readsAHandWrittenFileInTheReferenceLayout() {
        // as written by the Python reference: {"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
        byte[] file = safetensors("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floatsLe(1.5f, -4f));
        SafeTensors tensors = SafeTensors.parse(file);
        assertThat(tensors.floats("w").data()).containsExactly(1.5f, -4f);
        assertThat(tensors.metadata()).containsEntry("format", "pt");
    }

    @Test
    void readsBf16AndI32() {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3fc0); // bf16 1.5
        data.putShort((short) 0xc000); // bf16 -2
        data.putInt(-7).putInt(9);
        byte[] file = safetensors("{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data.array());
        SafeTensors tensors = SafeTensors.parse(file);
        assertThat(tensors.floats("b").data()).containsExactly(1.5f, -2f);
        assertThat(tensors.longs("i").data()).containsExactly(-7L, 9L);
    }

    @Test
    void readFloatsFillsACallerArrayAtAnOffset() {
        byte[] file = new SafeTensorsWriter().f32("x", new int[] {2}, new float[] {3f, 4f}).toBytes();
        float[] dst = new float[4];
        SafeTensors.parse(file).readFloats("x", dst, 1);
        assertThat(dst).containsExactly(0f, 3f, 4f, 0f);
    }

    @Test
    void scalarAndEmptyTensorsAreAllowed() {
        byte[] file = new SafeTensorsWriter()
                .f32("scalar", new int[] {}, new float[] {2f})
                .f32("empty", new int[] {0, 4}, new float[0])
                .toBytes();
        SafeTensors tensors = SafeTensors.parse(file);
        assertThat(tensors.floats("scalar").data()).containsExactly(2f);
        assertThat(tensors.floats("empty").data()).isEmpty();
    }

    @Test
    void missingTensorNamesTheTensorAndWhatIsPresent() {
        SafeTensors tensors = SafeTensors.parse(new SafeTensorsWriter().f32("a", new int[] {1}, new float[1]).toBytes());
        assertThatThrownBy(() -> tensors.floats("layers.3.gate"))
                .isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("layers.3.gate")
                .hasMessageContaining("[a]");
    }

    @Test
    void wrongDtypeForTheRequestedReadIsReported() {
        SafeTensors tensors = SafeTensors.parse(new SafeTensorsWriter().i64("ids", new int[] {1}, new long[1]).toBytes());
        assertThatThrownBy(() -> tensors.floats("ids")).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("I64");
        SafeTensors floats = SafeTensors.parse(new SafeTensorsWriter().f32("f", new int[] {1}, new float[1]).toBytes());
        assertThatThrownBy(() -> floats.longs("f")).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("F32");
    }

    @Test
    void rejectsOffsetsOutsideTheData() {
        byte[] file = safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", floatsLe(1f));
        assertThatThrownBy(() -> SafeTensors.parse(file)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("w.data_offsets").hasMessageContaining("outside");
    }

    @Test
    void rejectsSpanNotMatchingShape() {
        byte[] file = safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floatsLe(1f, 2f));
        assertThatThrownBy(() -> SafeTensors.parse(file)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("needs 12");
    }

    @Test
    void rejectsOverlappingTensors() {
        byte[] file = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floatsLe(1f, 2f));
        assertThatThrownBy(() -> SafeTensors.parse(file)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("overlap");
    }

    @Test
    void rejectsUnknownDtypeNamingTheField() {
        byte[] file = safetensors("{\"w\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
        assertThatThrownBy(() -> SafeTensors.parse(file)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("w.dtype").hasMessageContaining("F8");
    }

    @Test
    void rejectsBadHeaderLengthAndBadJson() {
        assertThatThrownBy(() -> SafeTensors.parse(new byte[5])).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("too short");
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        assertThatThrownBy(() -> SafeTensors.parse(huge)).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("header length 1000");
        byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
        assertThatThrownBy(() -> SafeTensors.parse(negative)).isInstanceOf(TensorFormatException.class);
        assertThatThrownBy(() -> SafeTensors.parse(safetensors("{not json", new byte[0])))
                .isInstanceOf(TensorFormatException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SafeTensors.parse(safetensors("[1,2]", new byte[0])))
                .isInstanceOf(TensorFormatException.class).hasMessageContaining("expected an object");
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path file = dir.resolve("gates.safetensors");
        Files.write(file, new byte[3]);
        assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(TensorFormatException.class)
                .hasMessageStartingWith("gates.safetensors: ");
    }

    @Test
    void writerRejectsDuplicateNamesAndWrongCounts() {
        SafeTensorsWriter writer = new SafeTensorsWriter().f32("a", new int[] {1}, new float[1]);
        assertThatThrownBy(() -> writer.f32("a", new int[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> writer.f32("b", new int[] {2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 4");
        assertThatThrownBy(() -> writer.f32("__metadata__", new int[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("pc.safetensors");
        new SafeTensorsWriter().metadata("version", "0").write(file);
        new SafeTensorsWriter().metadata("version", "1").write(file);
        assertThat(SafeTensors.read(file).metadata()).containsEntry("version", "1");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("pc.safetensors");
        }
    }

    @Test
    void tensorValueTypesCompareByContent() {
        assertThat(new FloatTensor(new int[] {2}, new float[] {1f, 2f}))
                .isEqualTo(new FloatTensor(new int[] {2}, new float[] {1f, 2f}))
                .isNotEqualTo(new FloatTensor(new int[] {1, 2}, new float[] {1f, 2f}));
        assertThatThrownBy(() -> new FloatTensor(new int[] {3}, new float[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] safetensors(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    static byte[] floatsLe(float... values) {
        ByteBuffer out = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }
}
