package dev.dragon.contracts.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Wire encoding of PC adapter weights: base64 of row-major little-endian fp32, and their SHA-256. */
public final class AdapterWeights {

    private AdapterWeights() {
    }

    public static String encode(float[] weights) {
        ByteBuffer buf = ByteBuffer.allocate(weights.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(weights);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /**
     * Decodes {@code expected} floats.
     *
     * @throws IllegalArgumentException when the text is not base64 or does not hold exactly {@code expected} floats
     */
    public static float[] decode(String base64, int expected) {
        if (base64 == null) {
            throw new IllegalArgumentException("weights are missing");
        }
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length != expected * Float.BYTES) {
            throw new IllegalArgumentException("expected " + expected + " fp32 values, got " + bytes.length + " bytes");
        }
        float[] out = new float[expected];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Lowercase hex SHA-256 of the little-endian fp32 bytes of {@code w1} then {@code w2}. */
    public static String checksum(float[] w1, float[] w2) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (float[] w : new float[][] {w1, w2}) {
                ByteBuffer buf = ByteBuffer.allocate(w.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(w);
                md.update(buf.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
