package dev.dragon.core.tensor;

/**
 * IEEE 754 binary16 ("half") conversions: round-to-nearest-even, subnormals, infinities and NaN.
 * Delegates to the JDK's {@link Float#floatToFloat16} / {@link Float#float16ToFloat} (HotSpot intrinsics).
 */
public final class Fp16 {

    /** Largest finite half value, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** Smallest positive normal half value, 2^-14. */
    public static final float MIN_NORMAL = 0x1p-14f;
    /** Smallest positive subnormal half value, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;

    private Fp16() {
    }

    /** The half nearest to {@code value} (ties to even), as its 16 raw bits. */
    public static short fromFloat(float value) {
        return Float.floatToFloat16(value);
    }

    /** The exact float value of a half given by its raw bits. */
    public static float toFloat(short half) {
        return Float.float16ToFloat(half);
    }

    /** Rounds {@code value} to the nearest half-representable float. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    /**
     * Distance from {@code value}'s half rounding to the next half of larger magnitude (the half-precision
     * ulp at that magnitude); the round-trip error of a finite in-range value is at most half of this.
     */
    public static float ulp(float value) {
        float magnitude = Math.abs(round(value));
        if (magnitude < MIN_NORMAL) {
            return MIN_VALUE;
        }
        int exponent = Math.getExponent(magnitude);
        return Math.scalb(1f, exponent - 10);
    }

    /** Converts {@code count} floats starting at {@code srcOffset} into halves at {@code dstOffset}. */
    public static void fromFloats(float[] src, int srcOffset, short[] dst, int dstOffset, int count) {
        java.util.Objects.checkFromIndexSize(srcOffset, count, src.length);
        java.util.Objects.checkFromIndexSize(dstOffset, count, dst.length);
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = fromFloat(src[srcOffset + i]);
        }
    }

    /** Converts {@code count} halves starting at {@code srcOffset} into floats at {@code dstOffset}. */
    public static void toFloats(short[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        java.util.Objects.checkFromIndexSize(srcOffset, count, src.length);
        java.util.Objects.checkFromIndexSize(dstOffset, count, dst.length);
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = toFloat(src[srcOffset + i]);
        }
    }
}
