package dev.dragon.core.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major float tensor. The data array is shared, not copied: treat it as read-only.
 *
 * @param shape dimensions, outermost first (copied on construction)
 * @param data  elements, {@code product(shape)} of them
 */
public record FloatTensor(int[] shape, float[] data) {

    public FloatTensor {
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

    /** Size of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Equal when shapes and elements are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor o && Arrays.equals(shape, o.shape) && Arrays.equals(data, o.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
