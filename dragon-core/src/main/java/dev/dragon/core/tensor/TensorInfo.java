package dev.dragon.core.tensor;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name  tensor name
 * @param dtype element type
 * @param shape dimensions (copied)
 * @param begin first byte of the data, relative to the start of the data section
 * @param end   one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, int[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        return Shapes.elementCount(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo o && name.equals(o.name) && dtype == o.dtype
                && Arrays.equals(shape, o.shape) && begin == o.begin && end == o.end;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + ":" + dtype + Arrays.toString(shape) + "@[" + begin + "," + end + ")";
    }
}
