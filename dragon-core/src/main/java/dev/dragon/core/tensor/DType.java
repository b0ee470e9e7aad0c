package dev.dragon.core.tensor;

import java.util.Locale;

/** Element types understood by {@link SafeTensors}; names are the safetensors dtype strings. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    I32(4),
    I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Parses a safetensors dtype name such as {@code "F32"}. */
    public static DType parse(String name) {
        for (DType type : values()) {
            if (type.name().equals(name.toUpperCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new TensorFormatException("unsupported dtype '" + name + "' (supported: F32, F16, BF16, I32, I64)");
    }
}
