package dev.dragon.core.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major 64-bit integer tensor. The data array is shared, not copied: treat it as read-only.
 *
 * @param shape dimensions, outermost first (copied on construction)
 * @param data  elements, {@code product(shape)} of them
 */
public record LongTensor(int[] shape, long[] data) {

    public LongTensor {
        shape = shape.clone();
        Objects.requireNonNull(data, "data");
        int count = Shapes.elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count
                    + " elements, data has " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Equal when shapes and elements are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LongTensor o && Arrays.equals(shape, o.shape) && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LongTensor" + Arrays.toString(shape);
    }
}
