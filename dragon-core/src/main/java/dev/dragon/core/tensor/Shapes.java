package dev.dragon.core.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor readers and writers. */
final class Shapes {

    private Shapes() {
    }

    /** Number of elements of {@code shape}, rejecting negative dimensions and counts that do not fit an array. */
    static int elementCount(int[] shape) {
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new TensorFormatException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                throw new TensorFormatException("shape " + Arrays.toString(shape) + " has too many elements for one array");
            }
        }
        return (int) count;
    }
}
