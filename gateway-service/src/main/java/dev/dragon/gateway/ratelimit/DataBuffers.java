package dev.dragon.gateway.ratelimit;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/** Copies pooled buffers out into plain arrays (the gateway inspects bodies as bytes). */
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
}
