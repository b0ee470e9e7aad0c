package dev.dragon.core.adapter;

import dev.dragon.core.tensor.FloatTensor;
import dev.dragon.core.tensor.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One immutable version of the PC layer {@code mu = h + W2·tanh(W1·h)}.
 *
 * <p>The weights live in direct memory (never modify them) so every head call hands them to ONNX Runtime
 * without a copy; a version is swapped by passing another adapter to the next head call, never by rebuilding a session.
 *
 * @param version   version label ("0" is the bundle's identity layer)
 * @param parent    version this one was derived from ("" for none)
 * @param pcHidden  P
 * @param dModel    d
 */
public record PcAdapter(String version, String parent, int pcHidden, int dModel, FloatBuffer w1, FloatBuffer w2,
                        String checksum) {

    public PcAdapter {
        if (w1.capacity() != pcHidden * dModel || w2.capacity() != dModel * pcHidden) {
            throw new IllegalArgumentException("PC adapter " + version + ": weights are not [P,d] and [d,P]");
        }
    }

    /**
     * An adapter over copies of {@code w1 [P,d]} and {@code w2 [d,P]}; the checksum is the sha256 of their
     * little-endian fp32 bytes, w1 then w2.
     */
    public static PcAdapter of(String version, String parent, int pcHidden, int dModel, float[] w1, float[] w2) {
        FloatBuffer b1 = direct(w1);
        FloatBuffer b2 = direct(w2);
        return new PcAdapter(version, parent, pcHidden, dModel, b1, b2, checksum(w1, w2));
    }

    /** Loads {@code w1}, {@code w2} and the {@code version}/{@code parent} metadata of a safetensors file. */
    public static PcAdapter load(Path file) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        FloatTensor w1 = st.floats("w1");
        FloatTensor w2 = st.floats("w2");
        if (w1.rank() != 2 || w2.rank() != 2 || w1.dim(0) != w2.dim(1) || w1.dim(1) != w2.dim(0)) {
            throw new IOException(file + ": w1 must be [P,d] and w2 [d,P]");
        }
        var meta = st.metadata();
        return of(meta.getOrDefault("version", "0"), meta.getOrDefault("parent", ""), w1.dim(0), w1.dim(1),
                w1.data(), w2.data());
    }

    /** A copy of W1 {@code [P,d]}. */
    public float[] w1Array() {
        float[] out = new float[w1.capacity()];
        w1.duplicate().clear().get(out);
        return out;
    }

    /** A copy of W2 {@code [d,P]}. */
    public float[] w2Array() {
        float[] out = new float[w2.capacity()];
        w2.duplicate().clear().get(out);
        return out;
    }

    /** Whether the layer is the identity (W2 = 0). */
    public boolean isIdentity() {
        for (int i = 0; i < w2.capacity(); i++) {
            if (w2.get(i) != 0f) {
                return false;
            }
        }
        return true;
    }

    public static String checksum(float[] w1, float[] w2) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(4 * Math.max(w1.length, w2.length)).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] w : new float[][] {w1, w2}) {
                buf.clear();
                buf.asFloatBuffer().put(w);
                md.update(buf.array(), 0, 4 * w.length);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static FloatBuffer direct(float[] data) {
        FloatBuffer b = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(data).flip();
        return b;
    }

    @Override
    public String toString() {
        return "PcAdapter[" + version + " (parent " + (parent.isEmpty() ? "-" : parent) + "), "
                + checksum.substring(0, 12) + "]";
    }
}
