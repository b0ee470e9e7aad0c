package dev.dragon.gateway.ratelimit;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/** Copies pooled buffers out into plain arrays and searches them (the gateway inspects bodies as bytes). */
public final class DataBuffers {

    private DataBuffers() {
    }

    /** The readable bytes of {@code buffer}, which is released. */
    public static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The first index of {@code needle} in {@code b}, or -1. */
    public static int indexOf(byte[] b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
