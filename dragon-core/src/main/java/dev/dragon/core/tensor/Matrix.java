package dev.dragon.core.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A row-major 2-D float matrix {@code [rows, cols]}. The data array is shared, not copied.
 *
 * @param rows number of rows
 * @param cols number of columns
 * @param data elements, {@code rows * cols} of them: element (r, c) is {@code data[r * cols + c]}
 */
public record Matrix(int rows, int cols, float[] data) {

    public Matrix {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative matrix size " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " elements, data has " + data.length);
        }
    }

    public float get(int row, int col) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return data[row * cols + col];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Matrix m && rows == m.rows && cols == m.cols && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + ", " + cols + "]";
    }
}
