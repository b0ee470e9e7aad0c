package dev.dragon.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class Fp16Test {

    @Test
    void convertsExactValues() {
        assertThat(Fp16.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Fp16.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Fp16.fromFloat(0f)).isEqualTo((short) 0x0000);
        assertThat(Fp16.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(Fp16.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Fp16.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
    }

    @Test
    void roundsHalfwayCasesToEven() {
        // 1 + 2^-11 is exactly between 1 (even mantissa) and 1 + 2^-10 (odd): goes to 1.
        assertThat(Fp16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        // 1 + 3*2^-11 is between 1 + 2^-10 (odd) and 1 + 2^-9 (even): goes up.
        assertThat(Fp16.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        // just above the halfway point rounds up
        assertThat(Fp16.fromFloat(Math.nextUp(1f + 0x1p-11f))).isEqualTo((short) 0x3c01);
    }

    @Test
    void handlesSubnormals() {
        assertThat(Fp16.fromFloat(Fp16.MIN_VALUE)).isEqualTo((short) 0x0001);
        assertThat(Fp16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Fp16.toFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        // half of the smallest subnormal ties to even (zero); a bit more rounds up
        assertThat(Fp16.fromFloat(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(Fp16.fromFloat(0x1.8p-25f)).isEqualTo((short) 0x0001);
    }

    @Test
    void handlesInfinityOverflowAndNan() {
        assertThat(Fp16.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(Fp16.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Fp16.fromFloat(65520f)).isEqualTo((short) 0x7c00); // rounds past MAX_VALUE
        assertThat(Fp16.fromFloat(65519f)).isEqualTo((short) 0x7bff);
        assertThat(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(Float.NaN)))).isTrue();
        assertThat(Fp16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short half = (short) bits;
            float value = Fp16.toFloat(half);
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(value)))).isTrue();
            } else {
                assertThat(Fp16.fromFloat(value)).as("bits %04x", bits).isEqualTo(half);
            }
        }
    }

    @Test
    void ulpMatchesHalfSpacing() {
        assertThat(Fp16.ulp(1f)).isEqualTo(0x1p-10f);
        assertThat(Fp16.ulp(1000f)).isEqualTo(0.5f);
        assertThat(Fp16.ulp(0f)).isEqualTo(Fp16.MIN_VALUE);
        assertThat(Fp16.ulp(1e-6f)).isEqualTo(Fp16.MIN_VALUE);
    }

    @Test
    void bulkConversionRespectsOffsets() {
        float[] src = {9f, 1.5f, -3.25f, 9f};
        short[] halves = new short[5];
        Fp16.fromFloats(src, 1, halves, 2, 2);
        float[] back = new float[3];
        Fp16.toFloats(halves, 2, back, 1, 2);
        assertThat(back).containsExactly(0f, 1.5f, -3.25f);
    }

    @Property
    void roundTripErrorIsWithinHalfAnUlp(@ForAll @FloatRange(min = -65504f, max = 65504f) float value) {
        float rounded = Fp16.round(value);
        assertThat(Math.abs(rounded - value)).isLessThanOrEqualTo(Fp16.ulp(value) / 2);
    }

    @Property
    void roundingIsMonotonic(@ForAll @FloatRange(min = -70000f, max = 70000f) float a,
                             @ForAll @FloatRange(min = -70000f, max = 70000f) float b) {
        if (a <= b) {
            assertThat(Fp16.round(a)).isLessThanOrEqualTo(Fp16.round(b));
        }
    }
}
