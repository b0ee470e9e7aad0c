package dev.dragon.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dragon.core.tensor.TensorCodec.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TensorCodecTest {

    @Test
    void headerLayoutIsLittleEndian() {
        byte[] bytes = TensorCodec.encode(new Matrix(2, 3, new float[6]), Precision.FP16);
        assertThat(bytes).hasSize(10 + 12);
        assertThat(Arrays.copyOf(bytes, 10)).containsExactly(1, 2, 2, 0, 0, 0, 3, 0, 0, 0);
        ByteBuffer fp32 = ByteBuffer.wrap(TensorCodec.encode(new float[] {1.5f}, 0, 1, 1, Precision.FP32))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(fp32.get(1)).isEqualTo((byte) 1);
        assertThat(fp32.getFloat(10)).isEqualTo(1.5f);
    }

    @Test
    void encodesASliceOfALargerArray() {
        float[] data = {9f, 1f, 2f, 3f, 4f, 9f};
        Matrix decoded = TensorCodec.decode(TensorCodec.encode(data, 1, 2, 2, Precision.FP32));
        assertThat(decoded).isEqualTo(new Matrix(2, 2, new float[] {1f, 2f, 3f, 4f}));
        assertThat(decoded.get(1, 0)).isEqualTo(3f);
    }

    @Test
    void byteBufferStreamsSeveralMatricesBackToBack() {
        Matrix a = new Matrix(1, 2, new float[] {1f, 2f});
        Matrix b = new Matrix(2, 1, new float[] {-3f, 0.5f});
        int size = TensorCodec.encodedSize(1, 2, Precision.FP32) + TensorCodec.encodedSize(2, 1, Precision.FP16);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        TensorCodec.encode(a.data(), 0, 1, 2, Precision.FP32, buffer);
        TensorCodec.encode(b.data(), 0, 2, 1, Precision.FP16, buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        buffer.flip();
        assertThat(TensorCodec.decode(buffer)).isEqualTo(a);
        assertThat(TensorCodec.decode(buffer)).isEqualTo(b);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void decodeIntoWritesAtTheOffsetAndReturnsTheHeader() {
        ByteBuffer in = ByteBuffer.wrap(TensorCodec.encode(new float[] {5f, 6f}, 0, 2, 1, Precision.FP32));
        float[] dst = new float[4];
        TensorCodec.Header header = TensorCodec.decodeInto(in, dst, 2);
        assertThat(header).isEqualTo(new TensorCodec.Header(Precision.FP32, 2, 1));
        assertThat(dst).containsExactly(0f, 0f, 5f, 6f);
    }

    @Test
    void emptyMatricesRoundTrip() {
        assertThat(TensorCodec.decode(TensorCodec.encode(new Matrix(0, 7, new float[0]), Precision.FP32)))
                .isEqualTo(new Matrix(0, 7, new float[0]));
    }

    @Test
    void malformedInputIsReportedClearly() {
        byte[] good = TensorCodec.encode(new Matrix(2, 2, new float[4]), Precision.FP32);
        assertThatThrownBy(() -> TensorCodec.decode(new byte[3])).isInstanceOf(TensorFormatException.class)
                .hasMessageContaining("too short");
        byte[] badVersion = good.clone();
        badVersion[0] = 7;
        assertThatThrownBy(() -> TensorCodec.decode(badVersion)).hasMessageContaining("version 7");
        byte[] badType = good.clone();
        badType[1] = 9;
        assertThatThrownBy(() -> TensorCodec.decode(badType)).hasMessageContaining("precision code 9");
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(2, -1);
        assertThatThrownBy(() -> TensorCodec.decode(negative)).hasMessageContaining("negative");
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> TensorCodec.decode(truncated)).hasMessageContaining("needs 4 elements of 4 bytes, only 15");
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> TensorCodec.decode(trailing)).hasMessageContaining("2 trailing bytes");
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(2, Integer.MAX_VALUE).putInt(6, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TensorCodec.decode(huge)).isInstanceOf(TensorFormatException.class);
    }

    @Test
    void failedDecodeLeavesTheBufferPositionAlone() {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {1, 1, 5, 0, 0, 0, 5, 0, 0, 0, 1});
        assertThatThrownBy(() -> TensorCodec.decode(in)).isInstanceOf(TensorFormatException.class);
        assertThat(in.position()).isZero();
    }

    @Property
    void fp32RoundTripIsExact(@ForAll("matrices") Matrix matrix) {
        assertThat(TensorCodec.decode(TensorCodec.encode(matrix, Precision.FP32))).isEqualTo(matrix);
    }

    @Property
    void fp16RoundTripIsWithinHalfAnUlp(@ForAll("matrices") Matrix matrix) {
        Matrix decoded = TensorCodec.decode(TensorCodec.encode(matrix, Precision.FP16));
        assertThat(decoded.rows()).isEqualTo(matrix.rows());
        assertThat(decoded.cols()).isEqualTo(matrix.cols());
        for (int i = 0; i < matrix.data().length; i++) {
            float original = matrix.data()[i];
            assertThat(Math.abs(decoded.data()[i] - original)).isLessThanOrEqualTo(Fp16.ulp(original) / 2);
        }
    }

    @Property
    void truncatedInputAlwaysGivesTheClearException(@ForAll("matrices") Matrix matrix,
                                                    @ForAll @IntRange(min = 1, max = 1000) int cut) {
        byte[] bytes = TensorCodec.encode(matrix, Precision.FP32);
        byte[] truncated = Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
        assertThat(catchThrowable(() -> TensorCodec.decode(truncated))).isInstanceOf(TensorFormatException.class);
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailClearly(@ForAll byte[] bytes) {
        Throwable thrown = catchThrowable(() -> TensorCodec.decode(bytes));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(TensorFormatException.class);
        }
    }

    @Property(tries = 2000)
    void fuzzedHeadersDecodeOrFailClearly(@ForAll("matrices") Matrix matrix, @ForAll @IntRange(max = 9) int position,
                                          @ForAll byte value) {
        byte[] bytes = TensorCodec.encode(matrix, Precision.FP16);
        bytes[position] = value;
        Throwable thrown = catchThrowable(() -> TensorCodec.decode(bytes));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(TensorFormatException.class);
        }
    }

    @Provide
    Arbitrary<Matrix> matrices() {
        Arbitrary<Float> element = Arbitraries.oneOf(
                Arbitraries.floats().between(-65504f, 65504f),
                Arbitraries.floats().between(-1f, 1f),
                Arbitraries.of(0f, -0f, Fp16.MIN_VALUE, Fp16.MAX_VALUE));
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 6))
                .flatAs((rows, cols) -> element.array(float[].class).ofSize(rows * cols)
                        .map(data -> new Matrix(rows, cols, data)));
    }
}
